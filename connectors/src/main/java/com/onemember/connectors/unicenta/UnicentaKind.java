package com.onemember.connectors.unicenta;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.JdbcKind;
import com.onemember.connectors.frame.SourceTable;
import com.onemember.connectors.frame.SqlWriteback;
import com.onemember.connectors.frame.WritebackSink;
import java.util.Optional;

/** The {@code unicenta} kind. */
public final class UnicentaKind implements JdbcKind {

  @Override
  public String name() {
    return "unicenta";
  }

  @Override
  public SourceTable table(ConnectorInstance instance) {
    return new UnicentaCustomers();
  }

  @Override
  public Optional<WritebackSink> sink(ConnectorInstance instance) {
    return SqlWriteback.of(instance);
  }

  @Override
  public String parametersSchema() {
    return "connectors/unicenta/parameters.schema.json";
  }
}
