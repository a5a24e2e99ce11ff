package com.onemember.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart as Helm itself sees it: {@code helm lint --strict}, then {@code helm template} with the
 * default values and with the options an operator turns on, every rendered object read strictly
 * into its Kubernetes type ({@link RenderedObjects}) and the facts that keep the hub running
 * checked on it.
 */
class HelmChartTest {

  private static final Path CHART = DeployFiles.path("helm/onemember-hub");
  private static final String RELEASE = "onemember";
  private static final String FULLNAME = "onemember-onemember-hub";
  // the oldest Kubernetes the chart declares (Chart.yaml kubeVersion)
  private static final String KUBERNETES = "1.25.0";

  @Test
  void passesHelmLintInStrictMode() {
    LintResult lint = new Helm(CHART).lint().strict().call();

    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void defaultValuesRenderTheHubWithoutServiceMonitor() {
    RenderedObjects rendered = template(t -> {});

    assertThat(rendered.kinds())
        .containsExactly("ConfigMap", "Deployment", "PodDisruptionBudget", "Secret", "Service");
    assertThat(rendered.one(Deployment.class).getSpec().getReplicas()).isEqualTo(2);
    assertThat(rendered.all(ServiceMonitor.class)).isEmpty();
  }

  @Test
  void probesAskTheActuatorOnTheContainerPortAndGiveTheFirstStartMinutes() {
    Container hub = hub(template(t -> {}).one(Deployment.class));

    assertThat(hub.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
    assertThat(path(hub.getLivenessProbe())).isEqualTo("/actuator/health/liveness");
    assertThat(path(hub.getReadinessProbe())).isEqualTo("/actuator/health/readiness");
    assertThat(path(hub.getStartupProbe())).isEqualTo("/actuator/health/liveness");
    Probe startup = hub.getStartupProbe();
    // a start takes ~20 s, a first start with every migration ~40 s on two cores
    assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold())
        .isGreaterThanOrEqualTo(180);
    assertThat(hub.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
  }

  @Test
  void theHubRunsAsANonRootUserOnAReadOnlyRootFilesystem() {
    PodSpec pod = template(t -> {}).one(Deployment.class).getSpec().getTemplate().getSpec();
    Container hub = pod.getContainers().get(0);

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(hub.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(hub.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(hub.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void everyDirectoryTheHubWritesIsAnEmptyDirAndConnectorsAreMountedReadOnly() {
    PodSpec pod = template(t -> {}).one(Deployment.class).getSpec().getTemplate().getSpec();
    Container hub = pod.getContainers().get(0);
    Map<String, Volume> volumes =
        pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    Map<String, VolumeMount> mounts =
        hub.getVolumeMounts().stream().collect(Collectors.toMap(VolumeMount::getMountPath, m -> m));

    assertThat(volumes.get(mounts.get("/tmp").getName()).getEmptyDir()).isNotNull();
    String dataDir = env(hub, "ONEMEMBER_DATA_DIR").getValue();
    assertThat(volumes.get(mounts.get(dataDir).getName()).getEmptyDir()).isNotNull();
    String connectorsDir = env(hub, "ONEMEMBER_CONNECTORS_DIR").getValue();
    VolumeMount connectors = mounts.get(connectorsDir);
    assertThat(connectors.getReadOnly()).isTrue();
    assertThat(volumes.get(connectors.getName()).getConfigMap().getName())
        .isEqualTo(FULLNAME + "-connectors");
  }

  @Test
  void theHubIsConfiguredForExternalServicesAndNamedAfterItsPod() {
    Container hub = hub(template(t -> {}).one(Deployment.class));

    assertThat(env(hub, "SPRING_ARTEMIS_MODE").getValue()).isEqualTo("native");
    assertThat(env(hub, "SPRING_ARTEMIS_BROKER_URL").getValue())
        .contains("tcp://artemis-primary:61616", "tcp://artemis-backup:61616", "ha=true");
    assertThat(env(hub, "SPRING_DATASOURCE_URL").getValue()).startsWith("jdbc:postgresql://");
    assertThat(env(hub, "SPRING_DATASOURCE_USERNAME").getValue()).isEqualTo("onemember_hub");
    assertThat(env(hub, "SPRING_FLYWAY_USER").getValue()).isEqualTo("onemember_owner");
    assertThat(env(hub, "ONEMEMBER_HUB_NAME").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.name");
  }

  @Test
  void withDefaultValuesSecretsComeFromTheChartsSecretWhichHoldsNoEmptyValue() {
    RenderedObjects rendered = template(t -> {});
    Secret secret = rendered.one(Secret.class);

    assertThat(secret.getMetadata().getName()).isEqualTo(FULLNAME);
    assertThat(secret.getData()).isNullOrEmpty();
    assertThat(secretRefs(hub(rendered.one(Deployment.class))))
        .containsOnlyKeys(
            "SPRING_DATASOURCE_PASSWORD",
            "SPRING_FLYWAY_PASSWORD",
            "SPRING_ARTEMIS_PASSWORD",
            "ONEMEMBER_ADMIN_TOKEN",
            "ONEMEMBER_MERGE_LOG_KEY")
        .allSatisfy((name, ref) -> assertThat(ref).startsWith(FULLNAME + "/"));
  }

  @Test
  void givenSecretValuesAreInTheSecretUnderTheKeysTheDeploymentReads(@TempDir Path dir)
      throws IOException {
    Path values =
        write(
            dir,
            """
            secrets:
              adminToken: admin-token-value
              databasePassword: hub-db-password
              migrationPassword: owner-db-password
              artemisPassword: broker-password
              mergeLogKey: "ed25519:cHJpdmF0ZQ==:cHVibGlj"
              metricsToken: metrics-token-value
            """);
    RenderedObjects rendered = template(t -> t.withValuesFile(values));
    Map<String, String> data = decoded(rendered.one(Secret.class));

    assertThat(data)
        .containsEntry("admin-token", "admin-token-value")
        .containsEntry("database-password", "hub-db-password")
        .containsEntry("migration-password", "owner-db-password")
        .containsEntry("artemis-password", "broker-password")
        .containsEntry("merge-log-key", "ed25519:cHJpdmF0ZQ==:cHVibGlj")
        .containsEntry("metrics-token", "metrics-token-value");
    secretRefs(hub(rendered.one(Deployment.class)))
        .values()
        .forEach(ref -> assertThat(data).containsKey(ref.substring(ref.indexOf('/') + 1)));
  }

  @Test
  void existingSecretReplacesTheChartsSecretAndTheServiceMonitorScrapesWithItsToken() {
    RenderedObjects rendered =
        template(t -> t.set("serviceMonitor.enabled", true).set("existingSecret", "hub-prod"));
    Service service = rendered.one(Service.class);
    ServiceMonitor monitor = rendered.one(ServiceMonitor.class);
    Endpoint endpoint = monitor.getSpec().getEndpoints().get(0);

    assertThat(rendered.all(Secret.class)).isEmpty();
    assertThat(secretRefs(hub(rendered.one(Deployment.class))))
        .isNotEmpty()
        .allSatisfy((name, ref) -> assertThat(ref).startsWith("hub-prod/"));
    assertThat(monitor.getSpec().getEndpoints()).hasSize(1);
    assertThat(endpoint.getPath()).isEqualTo("/actuator/prometheus");
    assertThat(endpoint.getPort()).isEqualTo(service.getSpec().getPorts().get(0).getName());
    assertThat(endpoint.getAuthorization().getType()).isEqualTo("Bearer");
    assertThat(endpoint.getAuthorization().getCredentials().getName()).isEqualTo("hub-prod");
    assertThat(endpoint.getAuthorization().getCredentials().getKey()).isEqualTo("metrics-token");
    assertThat(service.getMetadata().getLabels())
        .containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void serviceAndDisruptionBudgetSelectTheHubPods() {
    RenderedObjects rendered = template(t -> {});
    Deployment deployment = rendered.one(Deployment.class);
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    Service service = rendered.one(Service.class);
    PodDisruptionBudget budget = rendered.one(PodDisruptionBudget.class);

    assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
    assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
    assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(
            deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
  }

  @Test
  void connectorFilesBecomeOneYamlFileEachAndAChangeRollsThePods(@TempDir Path dir)
      throws IOException {
    String siteShop =
        """
        id: site-shop
        kind: custom-webhook
        parameters:
          secret: ${SITE_SHOP_HOOK_SECRET}
        """;
    Path values =
        write(
            dir,
            "connectors:\n  site-shop: |\n"
                + siteShop.lines().map(l -> "    " + l + "\n").collect(Collectors.joining()));
    RenderedObjects with = template(t -> t.withValuesFile(values));
    RenderedObjects without = template(t -> {});

    assertThat(with.one(ConfigMap.class).getData()).containsOnlyKeys("site-shop.yaml");
    assertThat(with.one(ConfigMap.class).getData().get("site-shop.yaml").strip())
        .isEqualTo(siteShop.strip());
    assertThat(without.one(ConfigMap.class).getData()).isNullOrEmpty();
    assertThat(podAnnotation(with, "checksum/connectors"))
        .isNotEqualTo(podAnnotation(without, "checksum/connectors"));
  }

  @Test
  void aCheckpointClaimGivesEachPodItsOwnCheckpointFileOnIt() {
    Deployment deployment =
        template(t -> t.set("mergeLog.checkpoints.existingClaim", "merge-log-checkpoints"))
            .one(Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container hub = pod.getContainers().get(0);
    List<String> envOrder = hub.getEnv().stream().map(EnvVar::getName).toList();

    assertThat(env(hub, "ONEMEMBER_MERGE_LOG_CHECKPOINT_FILE").getValue())
        .isEqualTo("/app/checkpoints/$(ONEMEMBER_HUB_NAME).jsonl");
    // $(VAR) expands only variables defined before it
    assertThat(envOrder.indexOf("ONEMEMBER_HUB_NAME"))
        .isLessThan(envOrder.indexOf("ONEMEMBER_MERGE_LOG_CHECKPOINT_FILE"));
    String volume =
        hub.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals("/app/checkpoints"))
            .findFirst()
            .orElseThrow()
            .getName();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals(volume))
        .singleElement()
        .satisfies(
            v ->
                assertThat(v.getPersistentVolumeClaim().getClaimName())
                    .isEqualTo("merge-log-checkpoints"));
  }

  @Test
  void theInstallNotesNameEverySecretValueThatIsMissing() {
    String notes =
        new Helm(CHART)
            .install()
            .withName(RELEASE)
            .withNamespace("retail")
            .withKubeVersion(KUBERNETES)
            .dryRun()
            .withDryRunOption(DryRun.CLIENT)
            .clientOnly()
            .set("secrets.adminToken", "admin-token-value")
            .call()
            .getOutput();

    assertThat(notes)
        .contains(
            "WARNING: not set: secrets.databasePassword, secrets.migrationPassword,"
                + " secrets.artemisPassword, secrets.mergeLogKey.")
        .contains("port-forward service/" + FULLNAME);
  }

  @Test
  void theValuesSchemaRefusesUnknownKeysAndARootUser() {
    assertThatThrownBy(() -> template(t -> t.set("replicas", 3))).hasMessageContaining("replicas");
    assertThatThrownBy(() -> template(t -> t.set("podSecurityContext.runAsNonRoot", false)))
        .hasMessageContaining("runAsNonRoot");
    assertThatThrownBy(() -> template(t -> t.set("replicaCount", 0)))
        .hasMessageContaining("replicaCount");
  }

  private static RenderedObjects template(Consumer<TemplateCommand> options) {
    TemplateCommand command =
        new Helm(CHART)
            .template()
            .withName(RELEASE)
            .withNamespace("retail")
            .withKubeVersion(KUBERNETES);
    options.accept(command);
    return RenderedObjects.read(command.call());
  }

  private static Container hub(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  private static String path(Probe probe) {
    assertThat(probe).isNotNull();
    return probe.getHttpGet().getPath();
  }

  private static EnvVar env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no environment variable " + name));
  }

  /** Environment variable → "secret/key" for every variable read from a Secret. */
  private static Map<String, String> secretRefs(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
        .collect(
            Collectors.toMap(
                EnvVar::getName,
                e ->
                    e.getValueFrom().getSecretKeyRef().getName()
                        + "/"
                        + e.getValueFrom().getSecretKeyRef().getKey()));
  }

  private static Map<String, String> decoded(Secret secret) {
    return Objects.requireNonNull(secret.getData()).entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e -> new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8)));
  }

  private static String podAnnotation(RenderedObjects rendered, String name) {
    return rendered
        .one(Deployment.class)
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(name);
  }

  private static Path write(Path dir, String values) throws IOException {
    Path file = Files.createTempFile(dir, "values", ".yaml");
    Files.writeString(file, values, StandardCharsets.UTF_8);
    return file;
  }
}
