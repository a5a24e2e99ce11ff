/**
 * The merge log auditors read: an append-only, hash-chained record of every new member, merge,
 * unmerge, review decision and manual action, with its evidence and actor, and the check that
 * re-computes the chain. Each entry carries the hub's attestation ({@link
 * com.onemember.mdm.audit.EntryAttestations}), and the check also compares the chain with signed
 * checkpoints kept outside the database ({@link com.onemember.mdm.audit.ChainAnchor}).
 */
package com.onemember.mdm.audit;
