/**
 * Camel wiring shared by all routes: the JMS component on the Spring Boot connection factory, the
 * clock, and the one route configuration that holds error handling (exponential redelivery, then
 * the dead-letter queue with the original message kept).
 */
package com.onemember.hub.camel;
