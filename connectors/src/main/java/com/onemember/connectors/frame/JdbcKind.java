package com.onemember.connectors.frame;

/**
 * A kind that reads its system's database ({@link Transport#JDBC_POLLING}): the hub's route runs
 * the table's select over a connection {@link JdbcConnections} opens and maps each row with it.
 */
public interface JdbcKind extends ConnectorKind {

  @Override
  default Transport transport() {
    return Transport.JDBC_POLLING;
  }

  /** The customers table of one instance, as its parameters describe it. */
  SourceTable table(ConnectorInstance instance);
}
