package com.onemember.hub.connectors;

import com.onemember.connectors.KnownKinds;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.ConnectorInstances;
import com.onemember.connectors.frame.ConnectorKind;
import com.onemember.mdm.golden.SurvivorshipRules;
import com.onemember.mdm.ingest.DeclaredSourceTrust;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The connector instances this hub runs, read once at start-up from {@code
 * onemember.connectors.dir}. A file that does not fit its kind stops the start with {@link
 * com.onemember.connectors.frame.InvalidConnectorConfiguration}, which names the file and the key.
 * Placeholders ({@code ${POS_DB_PASSWORD}}) are filled from the environment, system properties and
 * the hub's configuration, as Spring resolves them. The trust an instance gives counts for
 * survivorship before {@code onemember.survivorship.source-trust}.
 */
@Component
public class ConnectorRegistry implements DeclaredSourceTrust {

  private static final Logger log = LoggerFactory.getLogger(ConnectorRegistry.class);

  private final Map<String, ConnectorKind> kinds = new LinkedHashMap<>();
  private final Map<String, ConnectorInstance> instances = new LinkedHashMap<>();

  public ConnectorRegistry(ConnectorSettings settings, Environment environment) {
    KnownKinds.all().forEach(k -> kinds.put(k.name(), k));
    List<ConnectorInstance> read =
        new ConnectorInstances(KnownKinds.all(), environment::getProperty).read(settings.dir());
    read.forEach(i -> instances.put(i.id(), i));
    refuseRouteIdClashes();
    log.info(
        "{} connector(s) declared in {}: {}",
        instances.size(),
        settings.dir().toAbsolutePath(),
        instances.keySet());
  }

  /**
   * Route ids the hub's own routes use: a connector's id is its route's id, so it may be none of
   * these, nor another connector's sync route ({@code <id>-sync}), nor a consuming system's route.
   */
  static final java.util.Set<String> HUB_ROUTES =
      java.util.Set.of(
          "connector-hooks",
          "hook-deliveries-expiry",
          "import-drop-folder",
          "ingest-failed",
          "ingest-source-records",
          "merge-log-seal",
          "outbox-relay",
          "tag-sweep");

  private void refuseRouteIdClashes() {
    List<com.onemember.connectors.frame.ConfigurationProblem> problems =
        new java.util.ArrayList<>();
    for (ConnectorInstance i : instances.values()) {
      String clash = null;
      if (HUB_ROUTES.contains(i.id()) || i.id().startsWith("consumer-")) {
        clash = "the hub's own route " + i.id();
      } else if (i.id().endsWith("-sync")
          && instances.containsKey(i.id().substring(0, i.id().length() - "-sync".length()))) {
        clash = "the sync route of connector " + i.id().substring(0, i.id().length() - 5);
      }
      if (clash != null) {
        problems.add(
            new com.onemember.connectors.frame.ConfigurationProblem(
                i.file(),
                "/id",
                "连接器 id 与系统内部路由重名，请换一个 / the id "
                    + i.id()
                    + " is taken by "
                    + clash
                    + ": choose another"));
      }
    }
    if (!problems.isEmpty()) {
      throw new com.onemember.connectors.frame.InvalidConnectorConfiguration(problems);
    }
  }

  public List<ConnectorInstance> instances() {
    return List.copyOf(instances.values());
  }

  public Optional<ConnectorInstance> find(String id) {
    return Optional.ofNullable(instances.get(id));
  }

  public ConnectorKind kind(ConnectorInstance instance) {
    return kinds.get(instance.kind());
  }

  /** The trust each instance file gives its connector, for survivorship. */
  @Override
  public List<SurvivorshipRules.SourceTrust> trusts() {
    return instances.values().stream()
        .filter(i -> i.trust() != null)
        .map(i -> new SurvivorshipRules.SourceTrust(i.id(), i.trust()))
        .toList();
  }
}
