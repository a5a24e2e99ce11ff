/**
 * {@code /api/v1/match-models}: the governed match model over HTTP (stored versions, training, the
 * dry run, activation), as the OpenAPI contract defines it. The work is done in {@code
 * com.onemember.mdm.matchmodels}.
 */
package com.onemember.hub.matchmodels;
