/**
 * The merge log auditors read: an append-only, hash-chained record of every new member, merge and
 * (later) unmerge, review decision and manual action, with its evidence and actor, and the check
 * that re-computes the chain.
 */
package com.onemember.mdm.audit;
