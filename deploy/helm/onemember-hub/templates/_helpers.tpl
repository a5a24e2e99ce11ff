{{/* Names and labels shared by the chart's objects. */}}

{{- define "onemember-hub.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "onemember-hub.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "onemember-hub.selectorLabels" -}}
app.kubernetes.io/name: {{ include "onemember-hub.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "onemember-hub.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "onemember-hub.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: hub
app.kubernetes.io/part-of: onemember
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The Secret the hub's passwords and keys come from: the operator's, or the chart's. */}}
{{- define "onemember-hub.secretName" -}}
{{- if .Values.existingSecret }}
{{- .Values.existingSecret }}
{{- else }}
{{- include "onemember-hub.fullname" . }}
{{- end }}
{{- end }}

{{- define "onemember-hub.connectorsConfigMap" -}}
{{- printf "%s-connectors" (include "onemember-hub.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "onemember-hub.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
