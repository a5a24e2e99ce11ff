package com.onemember.hub.connectors;

/**
 * What a polling connector's route does on each tick of its timer ({@link SnapshotSync} in the
 * hub): the route templates need nothing else of it.
 */
@FunctionalInterface
interface ConnectorPolling {

  /** Polls connector {@code id} now, unless it is paused, backing off, or led by another hub. */
  void poll(String connectorId);
}
