package com.onemember.connectors.pospal;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.SnapshotKind;
import com.onemember.connectors.frame.SnapshotSource;
import com.onemember.connectors.frame.Transport;

/** The {@code pospal} kind. */
public final class PospalKind implements SnapshotKind {

  @Override
  public String name() {
    return "pospal";
  }

  @Override
  public Transport transport() {
    return Transport.HTTP_PAGES;
  }

  @Override
  public SnapshotSource source(ConnectorInstance instance) {
    return new PospalMembers(new PospalClient(instance));
  }

  @Override
  public java.util.Optional<com.onemember.connectors.frame.WritebackSink> sink(
      ConnectorInstance instance) {
    if (!Boolean.TRUE.equals(instance.parameters().get("tags-in-remarks"))) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new PospalWriteback(new PospalClient(instance)));
  }

  @Override
  public String parametersSchema() {
    return "connectors/pospal/parameters.schema.json";
  }
}
