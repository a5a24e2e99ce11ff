/**
 * The ingest pipeline, set-wise: records decided one by one in order with {@link
 * com.onemember.mdm.ingest.RecordDecisions}, over a candidate index read from PostgreSQL once per
 * segment and kept in memory as the segment's decisions change it ({@link
 * com.onemember.mdm.ingest.bulk.SegmentReader}, {@link
 * com.onemember.mdm.ingest.bulk.SegmentIndex}), then written in the caller's transaction with
 * set-wise statements ({@link com.onemember.mdm.ingest.bulk.SegmentWriter}, {@link
 * com.onemember.mdm.ingest.bulk.ChangedRecords}). {@link com.onemember.mdm.ingest.bulk.BulkLoad}
 * runs these stages for an import's chunk of thousands, for a group of connector records that
 * arrived together ({@link com.onemember.mdm.ingest.bulk.GroupCommit}) and for one record alone
 * ({@link com.onemember.mdm.ingest.bulk.SourceRecordIngest}), so the three cannot decide
 * differently. It exists because a chain's whole member base arrives at once: one transaction and
 * some forty statements per record held a million-row import to a few hundred rows a second. A
 * member touched several times in one segment gets one version and one event for it. The blocks a
 * segment read and wrote stay in the hub's {@link com.onemember.mdm.ingest.bulk.BlockCache} after
 * it commits, so the next segment reads from PostgreSQL only the blocks that changed since: a
 * block's row count and a log of lost or moved records (kept by triggers, V40) say which.
 */
package com.onemember.mdm.ingest.bulk;
