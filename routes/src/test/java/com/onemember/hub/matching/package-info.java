/** Integration tests of the hub's matcher set-up (model, settings) against a real PostgreSQL. */
package com.onemember.hub.matching;
