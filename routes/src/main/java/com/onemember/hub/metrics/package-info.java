/**
 * The hub's metrics for Prometheus ({@code /actuator/prometheus}, tokens with the it or admin
 * role), under the names {@code onemember_*}: what the database says about the work waiting
 * (reviews, unpublished events, unsealed merge-log entries, dead letters, connectors), read in one
 * round every few seconds rather than at each scrape, beside Spring Boot's JVM and pool metrics.
 */
package com.onemember.hub.metrics;
