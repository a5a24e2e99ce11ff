package com.onemember.connectors.frame;

/** A polling kind whose system is read whole on each sync ({@link SnapshotSource}). */
public interface SnapshotKind extends ConnectorKind {

  /** How one instance's system is read. */
  SnapshotSource source(ConnectorInstance instance);
}
