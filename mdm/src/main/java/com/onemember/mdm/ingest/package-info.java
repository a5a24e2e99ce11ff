/**
 * The MDM step of ingest, in one database transaction: standardise a source record, store it raw
 * and clean, find candidate members through its match keys, decide, link or merge, and write the
 * new version of the golden record. Concurrent ingests of the same person are serialised with
 * PostgreSQL advisory locks on the record's match keys, taken in a fixed order, so two records of
 * one person cannot race into two members.
 */
package com.onemember.mdm.ingest;
