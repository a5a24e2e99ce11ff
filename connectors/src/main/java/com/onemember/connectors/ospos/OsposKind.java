package com.onemember.connectors.ospos;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.JdbcKind;
import com.onemember.connectors.frame.SourceTable;
import com.onemember.connectors.frame.SqlWriteback;
import com.onemember.connectors.frame.WritebackSink;
import java.util.Optional;

/** The {@code ospos} kind. */
public final class OsposKind implements JdbcKind {

  @Override
  public String name() {
    return "ospos";
  }

  @Override
  public SourceTable table(ConnectorInstance instance) {
    String prefix = instance.text("table-prefix");
    return new OsposCustomers(prefix == null ? "ospos_" : prefix);
  }

  @Override
  public Optional<WritebackSink> sink(ConnectorInstance instance) {
    return SqlWriteback.of(instance);
  }

  @Override
  public String parametersSchema() {
    return "connectors/ospos/parameters.schema.json";
  }
}
