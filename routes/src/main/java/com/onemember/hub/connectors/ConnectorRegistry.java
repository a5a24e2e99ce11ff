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
    log.info(
        "{} connector(s) declared in {}: {}",
        instances.size(),
        settings.dir().toAbsolutePath(),
        instances.keySet());
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
