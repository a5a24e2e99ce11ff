/**
 * The MDM step of ingest, in one database transaction: standardise a source record, store it raw
 * and clean, find candidate members through its match keys, decide, link or merge, and write the
 * new version of the golden record. Concurrent ingests of the same person are serialised with
 * PostgreSQL advisory locks on the record's match keys, taken in a fixed order, so two records of
 * one person cannot race into two members.
 *
 * <p>{@link com.onemember.mdm.ingest.SourceRecordIngest} runs it as three stages, each a class of
 * its own: read the candidates ({@link com.onemember.mdm.ingest.StoredCandidates}, giving a {@link
 * com.onemember.mdm.ingest.CandidateSet}), decide ({@link
 * com.onemember.mdm.ingest.RecordDecisions}, no database), and write the change set ({@link
 * com.onemember.mdm.ingest.ChangeSetWriter}); between the first and the last it locks the members
 * the decision joins, and decides again if one of them changed meanwhile.
 */
package com.onemember.mdm.ingest;
