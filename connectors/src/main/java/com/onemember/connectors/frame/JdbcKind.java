package com.onemember.connectors.frame;

/** A kind that reads its system's database ({@link Transport#JDBC_POLLING}). */
public interface JdbcKind extends SnapshotKind {

  @Override
  default Transport transport() {
    return Transport.JDBC_POLLING;
  }

  /** The customers table of one instance, as its parameters describe it. */
  SourceTable table(ConnectorInstance instance);

  @Override
  default SnapshotSource source(ConnectorInstance instance) {
    return new JdbcTableSource(instance, table(instance));
  }
}
