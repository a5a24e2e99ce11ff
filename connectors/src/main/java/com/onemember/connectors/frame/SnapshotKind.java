package com.onemember.connectors.frame;

/** A polling kind whose system is read whole on each sync ({@link SnapshotSource}). */
public interface SnapshotKind extends ConnectorKind {

  /** How one instance's system is read. */
  SnapshotSource source(ConnectorInstance instance);

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
