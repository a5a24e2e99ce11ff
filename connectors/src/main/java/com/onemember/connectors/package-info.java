/**
 * Connectors: one package per kind of source system (reading its data, mapping it to source
 * records, writing golden ids back), the frame they share, and {@link
 * com.onemember.connectors.KnownKinds}, the kinds this build ships.
 */
package com.onemember.connectors;
