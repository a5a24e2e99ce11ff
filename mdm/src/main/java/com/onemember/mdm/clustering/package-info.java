/**
 * The hub's matching run in memory over a whole dataset: {@link
 * com.onemember.mdm.clustering.MemberClustering} takes records one after another through the same
 * keys, candidate search and {@link com.onemember.mdm.matching.MemberMatcher} decision as the hub's
 * ingest does in PostgreSQL, so that the benchmark measures what the hub decides and a batch can be
 * decided without a database. Plain Java.
 */
package com.onemember.mdm.clustering;
