package com.onemember.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.onemember.deploy.Dockerfile.Instruction;
import com.onemember.deploy.Dockerfile.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code deploy/image/Dockerfile}, parsed into its stages and instructions ({@link Dockerfile}):
 * two stages, the jar's layers copied least-changing first, a numeric non-root user that matches
 * the chart's, port 8080, a health check on the liveness group. Nothing is built: whether the image
 * builds and starts is for a machine with Docker (deploy/README.md).
 */
class DockerfileTest {

  private static final List<String> LAYERS =
      List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
  private static final Pattern LAYER_COPY =
      Pattern.compile("--from=(\\S+) /build/extracted/([a-z-]+)/ \\./");
  private static final String HUB_JAR = "routes/target/onemember-hub.jar";

  private static Dockerfile dockerfile;

  @BeforeAll
  static void read() throws IOException {
    dockerfile = Dockerfile.read(DeployFiles.path("image/Dockerfile"));
  }

  @Test
  void theFirstStageExtractsTheHubJarsLayersWithTheToolsJarMode() {
    assertThat(dockerfile.stages()).hasSize(2);
    Stage layers = dockerfile.stages().get(0);

    assertThat(layers.name()).isEqualTo("layers");
    assertThat(layers.last("COPY").arguments()).startsWith(HUB_JAR + " ");
    assertThat(layers.last("RUN").arguments())
        .contains("-Djarmode=tools -jar onemember-hub.jar extract --layers --launcher")
        .contains("--destination extracted");
  }

  @Test
  void theImageRunsOnTemurin17JreAndCopiesTheLayersLeastChangingFirst() {
    Stage image = dockerfile.last();
    List<String> copied =
        image.all("COPY").stream()
            .map(
                copy -> {
                  Matcher m = LAYER_COPY.matcher(copy.arguments());
                  assertThat(m.matches()).as("line %d: %s", copy.line(), copy.arguments()).isTrue();
                  assertThat(m.group(1)).isEqualTo(dockerfile.stages().get(0).name());
                  return m.group(2);
                })
            .toList();

    assertThat(image.image()).isEqualTo("eclipse-temurin:17-jre");
    assertThat(copied).containsExactlyElementsOf(LAYERS);
  }

  @Test
  void theLayersCopiedAreTheOnesTheBuiltJarDeclaresInItsOrder() throws IOException {
    Path jar = DeployFiles.root().resolve("..").resolve(HUB_JAR).normalize();
    assumeTrue(Files.isRegularFile(jar), "no " + HUB_JAR + " yet (./mvnw verify builds it first)");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry index = zip.getEntry("BOOT-INF/layers.idx");
      assertThat(index).as("the jar is a layered Spring Boot jar").isNotNull();
      String text;
      try (InputStream in = zip.getInputStream(index)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      List<String> declared =
          text.lines()
              .filter(l -> l.startsWith("- \""))
              .map(l -> l.substring(3, l.indexOf('"', 3)))
              .toList();

      assertThat(declared).containsExactlyElementsOf(LAYERS);
      List<String> entrypoint = dockerfile.last().last("ENTRYPOINT").execForm();
      String launcher = entrypoint.get(entrypoint.size() - 1);
      assertThat(zip.getEntry(launcher.replace('.', '/') + ".class"))
          .as("the launcher class the ENTRYPOINT starts")
          .isNotNull();
    }
  }

  @Test
  void theImageRunsAsTheNumericNonRootUserTheChartExpects() throws IOException {
    Stage image = dockerfile.last();
    Instruction user = image.last("USER");
    String uid = user.arguments().split(":")[0];
    JsonNode values =
        YAMLMapper.builder().build().readTree(DeployFiles.path("helm/onemember-hub/values.yaml"));

    assertThat(uid).matches("[0-9]+").isNotEqualTo("0");
    assertThat(Long.parseLong(uid))
        .isEqualTo(values.path("podSecurityContext").path("runAsUser").asLong());
    assertThat(user.line()).isLessThan(image.last("ENTRYPOINT").line());
    assertThat(image.all("RUN"))
        .as("the data directory belongs to the user")
        .anySatisfy(run -> assertThat(run.arguments()).contains("chown -R " + uid + ":"));
  }

  @Test
  void itExposes8080AndChecksTheLivenessGroup() {
    Stage image = dockerfile.last();

    assertThat(image.all("EXPOSE")).extracting(Instruction::arguments).containsExactly("8080");
    assertThat(image.last("HEALTHCHECK").arguments())
        .contains("CMD curl -fsS")
        .contains("http://127.0.0.1:8080/actuator/health/liveness");
  }

  @Test
  void javaIsPid1WithTheHeapFollowingTheContainersMemory() {
    List<String> entrypoint = dockerfile.last().last("ENTRYPOINT").execForm();

    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint)
        .contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError")
        .last()
        .isEqualTo("org.springframework.boot.loader.launch.JarLauncher");
  }

  @Test
  void theDataAndConnectorDirectoriesAreTheOnesComposeAndTheChartMount() {
    Map<String, String> env =
        Map.of(
            "ONEMEMBER_DATA_DIR",
            "/app/data",
            "ONEMEMBER_CONNECTORS_DIR",
            "/app/config/connectors");
    String declared =
        String.join(
            " ", dockerfile.last().all("ENV").stream().map(Instruction::arguments).toList());

    env.forEach((name, dir) -> assertThat(declared).contains(name + "=" + dir));
  }

  @Test
  void theBuildContextHoldsOnlyTheJarTheDockerfileCopies() throws IOException {
    List<String> rules =
        Files.readAllLines(DeployFiles.path("image/Dockerfile.dockerignore")).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();

    assertThat(rules).containsExactly("*", "!" + HUB_JAR);
  }
}
