package com.onemember.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The objects of a {@code helm template} output, each read into its Kubernetes API type (fabric8's
 * model of the OpenAPI definitions). Reading is strict: the model keeps a field it does not know in
 * {@code additionalProperties} instead of failing, so every object is walked afterwards and a
 * single unknown field anywhere (a typo, a field at the wrong level) fails the read with its path.
 * Only the kinds the chart may render are accepted.
 */
final class RenderedObjects {

  private static final Pattern SOURCE = Pattern.compile("(?m)^# Source: (\\S+)$");
  private static final Pattern SEPARATOR = Pattern.compile("(?m)^---\\s*$");
  private static final YAMLMapper YAML = YAMLMapper.builder().build();
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private static final Map<String, Class<? extends HasMetadata>> TYPES =
      Map.of(
          "apps/v1/Deployment", Deployment.class,
          "v1/Service", Service.class,
          "v1/Secret", Secret.class,
          "v1/ConfigMap", ConfigMap.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
          "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class);

  /** One rendered object: the template it came from, and the object. */
  record Rendered(String source, HasMetadata object) {}

  private final List<Rendered> objects;

  private RenderedObjects(List<Rendered> objects) {
    this.objects = objects;
  }

  static RenderedObjects read(String helmOutput) {
    List<Rendered> objects = new ArrayList<>();
    for (String document : SEPARATOR.split(helmOutput)) {
      Matcher source = SOURCE.matcher(document);
      String from = source.find() ? source.group(1) : "(no source)";
      JsonNode tree = YAML.readTree(document);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        continue;
      }
      String type = tree.path("apiVersion").asString() + "/" + tree.path("kind").asString();
      Class<? extends HasMetadata> javaType = TYPES.get(type);
      if (javaType == null) {
        throw new AssertionError(from + " renders " + type + ", which the chart should not make");
      }
      HasMetadata object = JSON.treeToValue(tree, javaType);
      List<String> unknown = new ArrayList<>();
      collectUnknownFields(object, type, unknown);
      if (!unknown.isEmpty()) {
        throw new AssertionError(from + " has fields Kubernetes does not know: " + unknown);
      }
      objects.add(new Rendered(from, object));
    }
    return new RenderedObjects(objects);
  }

  List<Rendered> all() {
    return objects;
  }

  List<String> kinds() {
    return objects.stream().map(r -> r.object().getKind()).sorted().toList();
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().map(Rendered::object).filter(type::isInstance).map(type::cast).toList();
  }

  /** The one object of this type; fails when there is none or more than one. */
  <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = all(type);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + type.getSimpleName() + ", rendered " + found.size() + ": " + kinds());
    }
    return found.get(0);
  }

  private static void collectUnknownFields(Object value, String path, List<String> unknown) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        collectUnknownFields(item, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> collectUnknownFields(v, path + "." + k, unknown));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        Object fieldValue = read(field, value);
        if (field.getName().equals("additionalProperties")) {
          if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
            unknown.add(path + " " + extra.keySet());
          }
        } else {
          collectUnknownFields(fieldValue, path + "." + field.getName(), unknown);
        }
      }
    }
  }

  private static Object read(Field field, Object owner) {
    try {
      field.setAccessible(true);
      return field.get(owner);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + field, e);
    }
  }
}
