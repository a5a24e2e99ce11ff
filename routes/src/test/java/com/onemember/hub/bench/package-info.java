/** Bench commands that need the hub's real PostgreSQL schema (run by hand, not by the build). */
package com.onemember.hub.bench;
