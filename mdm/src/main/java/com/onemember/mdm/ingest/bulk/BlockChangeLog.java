package com.onemember.mdm.ingest.bulk;

import java.time.Duration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code match_block_change} (V40), the log of blocks that lost a row or whose record moved
 * to another member, from growing without end: entries logged more than {@link #KEPT} ago are
 * deleted, and {@code match_block_change_pruned} remembers how far, so that a hub whose {@link
 * BlockCache} still needed one (its watermark is lower) empties its cache instead of missing it. A
 * timer runs it outside any ingest, so it never holds a second connection while an ingest holds its
 * keys' locks.
 */
@Component
public class BlockChangeLog {

  /** How long entries are kept: far longer than any look needs them. */
  public static final Duration KEPT = Duration.ofDays(1);

  /** Entries deleted per statement; the next run takes the rest. */
  static final int PRUNED_AT_ONCE = 100_000;

  private final JdbcTemplate jdbc;

  BlockChangeLog(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Deletes up to {@value #PRUNED_AT_ONCE} entries older than {@link #KEPT} in one statement (its
   * own transaction), skipping rows another hub is deleting, and raises the pruned mark above them.
   * Returns how many it deleted.
   */
  public int prune() {
    Integer deleted =
        jdbc.queryForObject(
            """
            with gone as (
              delete from match_block_change where ctid in (
                select ctid from match_block_change
                 where logged_at < now() - make_interval(secs => ?)
                 for update skip locked limit ?)
              returning xid),
            mark as (
              update match_block_change_pruned
                 set below = greatest(below,
                                      ((select max(xid::text::numeric) from gone) + 1)::text::xid8)
               where exists (select 1 from gone)
              returning 1)
            select count(*)::int from gone""",
            Integer.class,
            (double) KEPT.toSeconds(),
            PRUNED_AT_ONCE);
    return deleted == null ? 0 : deleted;
  }
}
