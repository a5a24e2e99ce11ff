/**
 * What the MDM step of ingest is made of. Ingest runs in one database transaction: standardise a
 * source record, store it raw and clean, find candidate members through its match keys, decide,
 * link or merge, and write the new version of the golden record. Concurrent ingests of the same
 * person are serialised with PostgreSQL advisory locks on the record's match keys ({@link
 * com.onemember.mdm.ingest.KeyLocks}), taken in a fixed order, so two records of one person cannot
 * race into two members.
 *
 * <p>This package holds what every way in shares: a record made ready for a decision ({@link
 * com.onemember.mdm.ingest.IncomingRecord}, giving a {@link com.onemember.mdm.ingest.NewRecord}),
 * the decision over a {@link com.onemember.mdm.ingest.CandidateSet} ({@link
 * com.onemember.mdm.ingest.RecordDecisions}, no database), the outcomes and their wording, and the
 * writes that stewards' actions share with ingest (merges, reviews, separations, tags). The stages
 * that read candidates and write decisions, for one record or thousands, are in {@code
 * ingest.bulk}.
 */
package com.onemember.mdm.ingest;
