package com.onemember.connectors.frame;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the instance files of a directory ({@code *.yaml}, {@code *.yml}, in name order): fills
 * {@code ${NAME}} and {@code ${NAME:default}} placeholders from the environment, checks each file
 * against the instance schema and its kind's parameters schema, applies the schema's defaults, and
 * checks that ids are unique. Reports every problem of every file at once.
 */
public final class ConnectorInstances {

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)(?::([^}]*))?}");

  private static final YAMLMapper YAML = new YAMLMapper();

  private final Map<String, ConnectorKind> kinds = new LinkedHashMap<>();
  private final Function<String, String> environment;
  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          b ->
              b.schemaRegistryConfig(
                  SchemaRegistryConfig.builder()
                      .pathType(PathType.JSON_POINTER)
                      .formatAssertionsEnabled(true)
                      .build()));
  private final Schema instanceSchema;
  private final Map<String, Schema> parameterSchemas = new HashMap<>();
  private final Map<String, JsonNode> parameterSchemaNodes = new HashMap<>();

  /**
   * @param environment the value of an environment variable or property, {@code null} when unset
   */
  public ConnectorInstances(List<ConnectorKind> kinds, Function<String, String> environment) {
    this.environment = environment;
    this.instanceSchema = schema("connectors/instance.schema.json");
    for (ConnectorKind kind : kinds) {
      this.kinds.put(kind.name(), kind);
      parameterSchemas.put(kind.name(), schema(kind.parametersSchema()));
      parameterSchemaNodes.put(kind.name(), resource(kind.parametersSchema()));
    }
  }

  /**
   * The instances declared in {@code dir}; none when it does not exist.
   *
   * @throws InvalidConnectorConfiguration naming every file and key that is wrong
   */
  public List<ConnectorInstance> read(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) {
      files =
          listed
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the connector directory " + dir, e);
    }
    List<ConfigurationProblem> problems = new ArrayList<>();
    List<ConnectorInstance> out = new ArrayList<>();
    Map<String, Path> ids = new HashMap<>();
    for (Path file : files) {
      ConnectorInstance instance = readFile(file, problems);
      if (instance == null) {
        continue;
      }
      Path earlier = ids.putIfAbsent(instance.id(), file);
      if (earlier != null) {
        problems.add(
            new ConfigurationProblem(
                file,
                "/id",
                "连接器 id 重复 / id "
                    + instance.id()
                    + " is declared in "
                    + earlier.getFileName()
                    + " already"));
        continue;
      }
      out.add(instance);
    }
    if (!problems.isEmpty()) {
      throw new InvalidConnectorConfiguration(problems);
    }
    return out;
  }

  private ConnectorInstance readFile(Path file, List<ConfigurationProblem> problems) {
    JsonNode doc;
    try {
      doc = YAML.readTree(file.toFile());
    } catch (JacksonException e) {
      problems.add(
          new ConfigurationProblem(
              file, "", "不是有效的 YAML / not valid YAML: " + e.getOriginalMessage()));
      return null;
    }
    if (doc == null || !doc.isObject()) {
      problems.add(
          new ConfigurationProblem(
              file, "", "应为键值映射 / expected a mapping of keys (id, kind, parameters, ...)"));
      return null;
    }
    int before = problems.size();
    JsonNode filled = fill(doc, "", file, problems);
    if (problems.size() > before) {
      return null;
    }
    validate(instanceSchema, filled, "", file, problems);
    String kindName = filled.path("kind").asString(null);
    ConnectorKind kind = kindName == null ? null : kinds.get(kindName);
    if (kindName != null && kind == null) {
      problems.add(
          new ConfigurationProblem(
              file,
              "/kind",
              "未知的连接器类型 / unknown kind \"" + kindName + "\"; known: " + kinds.keySet()));
    }
    ObjectNode parameters =
        filled.path("parameters").isObject()
            ? (ObjectNode) filled.get("parameters")
            : YAML.createObjectNode();
    if (kind != null) {
      validate(parameterSchemas.get(kind.name()), parameters, "/parameters", file, problems);
    }
    if (problems.size() > before) {
      return null;
    }
    Duration schedule = null;
    if (kind.transport() != Transport.WEBHOOK) {
      String text = filled.path("schedule").asString("60s");
      try {
        schedule = duration(text);
      } catch (ArithmeticException | NumberFormatException e) {
        schedule = Duration.ZERO;
      }
      if (schedule.compareTo(Duration.ofSeconds(1)) < 0
          || schedule.compareTo(Duration.ofDays(7)) > 0) {
        problems.add(
            new ConfigurationProblem(
                file,
                "/schedule",
                "同步周期应在 1 秒到 7 天之间 / the schedule must be between 1s and 7 days, not " + text));
        return null;
      }
    }
    applyDefaults(parameterSchemaNodes.get(kind.name()), parameters);
    List<String> owns = new ArrayList<>();
    filled.path("owns").forEach(n -> owns.add(n.asString()));
    Map<String, Object> values = YAML.convertValue(parameters, Map.class);
    return new ConnectorInstance(
        file,
        filled.get("id").asString(),
        kindName,
        filled.path("enabled").asBoolean(true),
        schedule,
        filled.hasNonNull("trust") ? filled.get("trust").asInt() : null,
        owns,
        values);
  }

  /** Copies {@code node} with every placeholder in its strings replaced. */
  private JsonNode fill(JsonNode node, String pointer, Path file, List<ConfigurationProblem> out) {
    if (node.isObject()) {
      ObjectNode copy = YAML.createObjectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        copy.set(e.getKey(), fill(e.getValue(), pointer + "/" + escape(e.getKey()), file, out));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = YAML.createArrayNode();
      for (int i = 0; i < node.size(); i++) {
        copy.add(fill(node.get(i), pointer + "/" + i, file, out));
      }
      return copy;
    }
    if (!node.isString()) {
      return node;
    }
    Matcher m = PLACEHOLDER.matcher(node.asString());
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = environment.apply(m.group(1));
      if (value == null) {
        value = m.group(2);
      }
      if (value == null) {
        out.add(
            new ConfigurationProblem(
                file,
                pointer,
                "环境变量 "
                    + m.group(1)
                    + " 未设置 / the environment variable "
                    + m.group(1)
                    + " is not set"));
        value = "";
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return StringNode.valueOf(sb.toString());
  }

  private static void validate(
      Schema schema, JsonNode node, String prefix, Path file, List<ConfigurationProblem> problems) {
    for (Error e : schema.validate(node)) {
      String at = e.getInstanceLocation().toString();
      if (at.equals("$") || at.equals("/")) {
        at = "";
      }
      String pointer = prefix + at;
      if ("required".equals(e.getKeyword()) && e.getProperty() != null) {
        pointer += "/" + escape(e.getProperty());
      } else if ("additionalProperties".equals(e.getKeyword()) && e.getProperty() != null) {
        pointer += "/" + escape(e.getProperty());
      }
      String message = e.getMessage();
      String located = e.getInstanceLocation() + ": ";
      if (message.startsWith(located)) {
        message = message.substring(located.length());
      }
      problems.add(new ConfigurationProblem(file, pointer, "配置项不符合要求 / " + message));
    }
  }

  /** Puts each top-level default of the schema the instance does not give. */
  private static void applyDefaults(JsonNode schema, ObjectNode parameters) {
    for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
      if (!parameters.has(p.getKey()) && p.getValue().has("default")) {
        parameters.set(p.getKey(), p.getValue().get("default"));
      }
    }
  }

  static Duration duration(String text) {
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    long n = Long.parseLong(text.substring(0, text.length() - 1));
    return switch (text.charAt(text.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new IllegalArgumentException("not a duration: " + text);
    };
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private Schema schema(String resource) {
    return registry.getSchema(SchemaLocation.of("classpath:" + resource));
  }

  /** A schema resource as a tree, for its defaults and for the checks of the kinds' tests. */
  public static JsonNode resource(String resource) {
    try (InputStream in = ConnectorInstances.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema " + resource + " is missing from the classpath");
      }
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
