package com.onemember.mdm.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One entry of the merge log.
 *
 * @param seq position in the chain, from 1, without gaps
 * @param memberIds the members concerned, the resulting (surviving) member first
 * @param sourceRecords the source records concerned, as {@code source:sourceRecordId}
 * @param actor who decided: {@code matcher} for automatic decisions, otherwise a person or token
 * @param evidence JSON: the score breakdown, the rule, or the person's reason
 * @param prevHash the previous entry's hash (64 zeros for the first)
 * @param hash SHA-256 of prevHash and this entry's canonical text
 * @param attestation the hub's MAC over what it decided ({@link EntryAttestations}); null on
 *     entries written before attestations existed
 * @param dbRole the database role that inserted the entry, as the database recorded it; null on
 *     entries written before it did
 */
public record MergeLogEntry(
    long seq,
    Instant at,
    MergeAction action,
    List<UUID> memberIds,
    List<String> sourceRecords,
    String actor,
    String evidence,
    String prevHash,
    String hash,
    String attestation,
    String dbRole) {

  public MergeLogEntry {
    memberIds = List.copyOf(memberIds);
    sourceRecords = List.copyOf(sourceRecords);
  }
}
