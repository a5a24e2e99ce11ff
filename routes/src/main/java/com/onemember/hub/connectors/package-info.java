/**
 * Connectors in the hub: the instances of {@code onemember.connectors.dir} read and checked at
 * start-up ({@link com.onemember.hub.connectors.ConnectorRegistry}), one Camel route per enabled
 * instance from its transport's route template, the sync of a system by snapshot digests, pushes
 * taken at {@code /hooks/<id>} and registrations at {@code /api/v1/connectors/<id>/members} (both
 * through the {@code onemember.hooks} queue), writebacks, each instance's state, runs and
 * rejections in PostgreSQL, and {@code /api/v1/connectors}.
 */
package com.onemember.hub.connectors;
