package com.onemember.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code deploy/compose/compose.yaml}: valid against the Compose Specification's JSON Schema (in
 * {@code src/test/resources/compose-spec/}), and wired as the README says: two hubs built from the
 * image's Dockerfile, each waiting for a healthy PostgreSQL and both brokers, a broker pair on one
 * journal volume, every secret from {@code .env}.
 */
class ComposeFileTest {

  private static final Path COMPOSE_DIR = DeployFiles.path("compose");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?:[:?\\-][^}]*)?}");
  private static final List<String> HUBS = List.of("hub-1", "hub-2");
  private static final List<String> BROKERS = List.of("artemis-primary", "artemis-backup");

  private static String text;
  private static Map<String, Object> compose;

  @BeforeAll
  static void read() throws IOException {
    text = Files.readString(COMPOSE_DIR.resolve("compose.yaml"), StandardCharsets.UTF_8);
    // SnakeYAML (YAML 1.1, as Compose reads it) resolves the merge keys (<<: *hub) the file uses
    compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
  }

  @Test
  void isValidAgainstTheComposeSpecification() throws IOException {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    Schema schema =
        registry.getSchema(SchemaLocation.of("classpath:compose-spec/compose-spec.json"));
    JsonNode file = JsonMapper.builder().build().valueToTree(compose);

    List<Error> errors = schema.validate(file);

    assertThat(errors).as(errors.toString()).isEmpty();
  }

  @Test
  void twoHubsAreBuiltFromTheImagesDockerfileAtTheRepositoryRoot() {
    for (String hub : HUBS) {
      Map<String, Object> build = map(service(hub).get("build"));
      Path context = COMPOSE_DIR.resolve((String) build.get("context")).normalize();

      assertThat(context.resolve((String) build.get("dockerfile")))
          .as(hub)
          .isEqualTo(DeployFiles.path("image/Dockerfile"));
      assertThat(context.resolve("routes/pom.xml")).as(hub + ": the repository root").exists();
    }
    assertThat(services().keySet().stream().filter(s -> service(s).containsKey("build")))
        .containsExactlyInAnyOrderElementsOf(HUBS);
  }

  @Test
  void eachHubHasItsOwnNameAndDataVolumeAndTheHaBrokerUrl() {
    Set<Object> names = new LinkedHashSet<>();
    Set<Object> dataVolumes = new LinkedHashSet<>();
    for (String hub : HUBS) {
      Map<String, Object> env = environment(hub);
      names.add(env.get("ONEMEMBER_HUB_NAME"));
      dataVolumes.add(volumeAt(hub, (String) env.get("ONEMEMBER_DATA_DIR")));

      assertThat((String) env.get("SPRING_ARTEMIS_BROKER_URL"))
          .as(hub)
          .startsWith("(tcp://artemis-primary:61616,tcp://artemis-backup:61616)?")
          .contains("ha=true", "reconnectAttempts=-1");
      assertThat(env).containsEntry("SPRING_ARTEMIS_MODE", "native");
      assertThat(volumeAt(hub, (String) env.get("ONEMEMBER_CONNECTORS_DIR")))
          .as(hub + ": connectors read-only from the repository's config/connectors")
          .isEqualTo("../../config/connectors:/app/config/connectors:ro");
    }
    assertThat(names).containsExactlyInAnyOrderElementsOf(HUBS);
    assertThat(dataVolumes).hasSize(HUBS.size()).doesNotContainNull();
  }

  @Test
  void everyHubWaitsForAHealthyDatabaseAndBothBrokers() {
    for (String hub : HUBS) {
      Map<String, Object> dependsOn = map(service(hub).get("depends_on"));

      assertThat(dependsOn)
          .as(hub)
          .containsOnlyKeys("postgres", "artemis-primary", "artemis-backup");
      dependsOn.forEach(
          (dependency, condition) -> {
            assertThat(map(condition))
                .as(hub + " on " + dependency)
                .containsEntry("condition", "service_healthy");
            assertThat(list(map(service(dependency).get("healthcheck")).get("test")))
                .as(dependency + " has a health check")
                .isNotEmpty()
                .doesNotContain("NONE");
          });
      assertThat(list(map(service(hub).get("healthcheck")).get("test")))
          .anySatisfy(arg -> assertThat(arg).asString().endsWith("/actuator/health/liveness"));
    }
  }

  @Test
  void bothBrokersMountOneJournalVolumeWhereTheirBrokerXmlKeepsTheJournal() throws Exception {
    Set<String> sharedMounts = new TreeSet<>();
    for (String broker : BROKERS) {
      String role = broker.substring("artemis-".length());
      List<String> volumes = strings(service(broker).get("volumes"));
      String config = "../artemis/" + role + ":/var/lib/artemis-instance/etc-override:ro";

      assertThat(volumes).as(broker).contains(config);
      assertThat(COMPOSE_DIR.resolve("../artemis/" + role + "/broker.xml")).exists();
      volumes.stream().filter(v -> !v.startsWith(".")).forEach(sharedMounts::add);
      String journal = journalDirectory(DeployFiles.path("artemis/" + role + "/broker.xml"));
      assertThat(journal).as(broker).startsWith("/var/lib/artemis-shared/");
    }
    assertThat(sharedMounts)
        .as("the same named volume at the same place in both brokers")
        .containsExactly("artemis-journal:/var/lib/artemis-shared");
    assertThat(map(compose.get("volumes"))).containsKey("artemis-journal");
    assertThat(service("artemis-primary").get("image"))
        .isEqualTo(service("artemis-backup").get("image"));
  }

  @Test
  void theDatabaseIsPostgres15AndItsInitScriptMakesTheRolesTheHubsUse() throws IOException {
    assertThat(service("postgres").get("image")).isEqualTo("postgres:15");
    String sql =
        Files.readString(DeployFiles.path("compose/postgres/onemember-roles.sql")).toLowerCase();
    Map<String, Object> env = environment("hub-1");

    assertThat(sql)
        .contains("create role onemember_app nologin;")
        .contains(
            "create role "
                + env.get("SPRING_DATASOURCE_USERNAME")
                + " login password :'hub_password'"
                + " in role onemember_app;")
        .contains(
            "create role " + env.get("SPRING_FLYWAY_USER") + " login password :'owner_password';")
        .contains("create database onemember owner " + env.get("SPRING_FLYWAY_USER") + ";");
    assertThat((String) env.get("SPRING_DATASOURCE_URL")).endsWith("/onemember");
    assertThat(strings(service("postgres").get("volumes")))
        .contains(
            "./postgres/10-onemember-roles.sh:/docker-entrypoint-initdb.d/10-onemember-roles.sh:ro",
            "./postgres/onemember-roles.sql:/onemember/onemember-roles.sql:ro");
    assertThat(Files.readString(DeployFiles.path("compose/postgres/10-onemember-roles.sh")))
        .contains("-f /onemember/onemember-roles.sql");
  }

  @Test
  void secretsComeFromTheEnvFileAndTheExampleNamesEveryOne() throws IOException {
    Set<String> used = new TreeSet<>();
    Matcher m = VARIABLE.matcher(text);
    while (m.find()) {
      used.add(m.group(1));
    }
    Set<String> example =
        Files.readAllLines(DeployFiles.path("compose/.env.example")).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .map(l -> l.substring(0, l.indexOf('=')))
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(example).isEqualTo(used);
    for (Map.Entry<String, Object> service : services().entrySet()) {
      Object environment = service.getValue() instanceof Map<?, ?> s ? s.get("environment") : null;
      if (environment == null) {
        continue;
      }
      map(environment)
          .forEach(
              (name, value) -> {
                if (name.matches(".*(PASSWORD|TOKEN|_KEY)$")) {
                  assertThat(String.valueOf(value))
                      .as(service.getKey() + " " + name + " must come from .env")
                      .matches("\\$\\{[A-Z0-9_]+:\\?[^}]+}");
                }
              });
    }
  }

  @Test
  void everyHostPathItMountsExists() {
    for (Map.Entry<String, Object> service : services().entrySet()) {
      Object volumes = map(service.getValue()).get("volumes");
      if (volumes == null) {
        continue;
      }
      for (String volume : strings(volumes)) {
        if (volume.startsWith(".")) {
          String source = volume.substring(0, volume.indexOf(':'));
          assertThat(COMPOSE_DIR.resolve(source).normalize())
              .as(service.getKey() + " mounts " + source)
              .exists();
        }
      }
    }
  }

  private static String journalDirectory(Path brokerXml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document document;
    try (Reader reader = Files.newBufferedReader(brokerXml)) {
      document = factory.newDocumentBuilder().parse(new InputSource(reader));
    }
    return document.getElementsByTagNameNS("*", "journal-directory").item(0).getTextContent();
  }

  private static String volumeAt(String service, String target) {
    return strings(service(service).get("volumes")).stream()
        .filter(v -> v.split(":")[1].equals(target))
        .findFirst()
        .orElse(null);
  }

  private static Map<String, Object> services() {
    return map(compose.get("services"));
  }

  private static Map<String, Object> service(String name) {
    assertThat(services()).containsKey(name);
    return map(services().get(name));
  }

  private static Map<String, Object> environment(String service) {
    return map(service(service).get("environment"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return (List<Object>) value;
  }

  private static List<String> strings(Object value) {
    return list(value).stream().map(String::valueOf).toList();
  }
}
