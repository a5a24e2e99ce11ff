package com.onemember.connectors.frame;

/** A kind that reads its system's database ({@link Transport#JDBC_POLLING}). */
public interface JdbcKind extends ConnectorKind {

  @Override
  default Transport transport() {
    return Transport.JDBC_POLLING;
  }

  /** The customers table of one instance, as its parameters describe it. */
  SourceTable table(ConnectorInstance instance);

  /**
   * Where golden ids and tags are written back to the instance's system; empty when its file asks
   * for no writeback.
   *
   * @throws InvalidParameter when a writeback parameter cannot be used, naming it
   */
  default java.util.Optional<WritebackSink> sink(ConnectorInstance instance) {
    return java.util.Optional.empty();
  }
}
