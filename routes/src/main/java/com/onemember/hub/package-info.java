/**
 * The hub's own features, one package each: embedded defaults, security, imports, the ingest route,
 * members, the REST error contract, Camel wiring and the demo run.
 */
package com.onemember.hub;
