/**
 * Persistence of golden members, source records (raw and clean, with their match keys) and the
 * import ledger, in PostgreSQL through JPA. Flyway owns the schema ({@code db/migration} in this
 * module's resources); Hibernate only validates it. JSON columns hold the canonical types as
 * written by {@link com.onemember.mdm.store.RecordJson}.
 */
package com.onemember.mdm.store;
