/**
 * Bulk load: an import's rows decided one by one in file order with the incremental path's own
 * decision ({@link com.onemember.mdm.ingest.RecordDecisions}), over a candidate index read from
 * PostgreSQL once per chunk and kept in memory as the chunk's decisions change it, then written per
 * chunk in one transaction with set-wise statements. It exists because a chain's whole member base
 * arrives at once: one transaction and some forty statements per record held a million-row import
 * to a few hundred rows a second. What it writes is what the incremental path writes for the same
 * records (members, merges, reviews, merge-log entries), except that a member touched several times
 * in one chunk gets one version and one event for it.
 */
package com.onemember.mdm.ingest.bulk;
