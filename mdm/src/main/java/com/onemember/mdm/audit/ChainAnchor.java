package com.onemember.mdm.audit;

import java.time.Instant;

/**
 * What a signed checkpoint says the chain was at one moment, kept outside the database: the entry
 * at {@code position} had {@code hash}. {@link MergeLog#verify(java.util.List)} checks the chain
 * against these, so an edit whose hashes were recomputed, or a cut tail, still shows.
 *
 * @param position the chain position of the head at the time
 * @param hash that entry's hash
 * @param at when the checkpoint was signed
 */
public record ChainAnchor(long position, String hash, Instant at) {}
