/**
 * {@code /api/v1/merge-log}: the merge log for auditors, filtered and paged, exported as CSV, and
 * its hash chain verified; and what anchors it outside its database: the signing key ({@link
 * com.onemember.hub.audit.MergeLogKey}) and the signed checkpoints of the chain's head ({@link
 * com.onemember.hub.audit.MergeLogCheckpoints}), written by a timer and on demand.
 */
package com.onemember.hub.audit;
