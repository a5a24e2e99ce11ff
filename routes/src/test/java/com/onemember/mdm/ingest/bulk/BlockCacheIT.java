package com.onemember.mdm.ingest.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.SourceRecord;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.MemberCards;
import com.onemember.mdm.ingest.IncomingRecord;
import com.onemember.mdm.matchmodels.MatchEngine;
import com.onemember.mdm.stewardship.Unmerges;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hub's block cache ({@link BlockCache}) against the real database: a segment's blocks are kept
 * once its transaction commits, and a read through the cache gives what a read of PostgreSQL alone
 * gives, whoever changed the blocks in between. Each change is made by plain SQL on a connection of
 * its own where it can be, as another hub or a script would make it, since the cache must see a
 * change whichever code path makes it, and once by the steward's unmerge.
 */
class BlockCacheIT extends HubIT {

  @Autowired SourceRecordIngest ingest;
  @Autowired SegmentReader reader;
  @Autowired BlockCache cache;
  @Autowired MatchEngine engine;
  @Autowired Unmerges unmerges;
  @Autowired JdbcTemplate jdbc;
  @Autowired DataSource dataSource;
  @Autowired PlatformTransactionManager transactions;
  @Autowired BlockChangeLog log;

  @Test
  void aCommittedSegmentsBlocksAreKeptAndAReadThroughThemGivesWhatPostgresqlHolds() {
    UUID kong = ingest.ingest(card("BC-1", "孔令霞", "13907350041", "1990-05-06")).memberId();
    List<String> keys = keysOf(card("BC-2", "孔令霞", "13907350041", "1990-05-06"));

    assertThat(cache.get("MOBILE:13907350041")).isNotNull();
    long read = reader.blocksFromDatabase();
    long cached = reader.blocksFromCache();
    Map<String, List<String>> throughCache = view(reader.read(keys, engine.settings(), false));
    // nothing changed since her segment committed: every block of her keys came from the cache
    assertThat(reader.blocksFromDatabase()).isEqualTo(read);
    assertThat(reader.blocksFromCache() - cached).isEqualTo(throughCache.size()).isPositive();
    assertThat(throughCache)
        .isEqualTo(view(reader.read(keys, engine.settings(), true)))
        .containsEntry("MOBILE:13907350041", List.of(pk("BC-1") + "→" + kong));
  }

  @Test
  void aRecordMovedToAnotherMemberByPlainSqlIsSeenAtTheNextRead() throws Exception {
    ingest.ingest(card("BM-1", "乔冬梅", "13907350051", "1987-11-02"));
    UUID other = ingest.ingest(card("BM-2", "乔秋菊", "13907350052", "1989-01-17")).memberId();
    List<String> keys = keysOf(card("BM-3", "乔冬梅", "13907350051", "1987-11-02"));
    reader.read(keys, engine.settings(), false);
    assertThat(cache.get("MOBILE:13907350051")).isNotNull();

    elsewhere("update source_record set member_id = ? where id = ?", other, pk("BM-1"));

    assertThat(view(reader.read(keys, engine.settings(), false)))
        .isEqualTo(view(reader.read(keys, engine.settings(), true)))
        .containsEntry("MOBILE:13907350051", List.of(pk("BM-1") + "→" + other));
  }

  @Test
  void aStewardsUnmergeIsSeenAtTheNextRead() {
    UUID shen = ingest.ingest(card("BU-1", "沈玉兰", "13907350061", "1979-04-23")).memberId();
    UUID same = ingest.ingest(card("BU-2", "沈玉兰", "139 0735 0061", "1979/4/23")).memberId();
    assertThat(same).isEqualTo(shen);
    List<String> keys = keysOf(card("BU-3", "沈玉兰", "13907350061", "1979-04-23"));
    reader.read(keys, engine.settings(), false);

    Unmerges.Split split =
        unmerges.unmerge(
            shen, List.of("pos-store-90:BU-2"), "两个人共用一张卡 / two people on one card", "steward:林芳");

    Map<String, List<String>> cached = view(reader.read(keys, engine.settings(), false));
    assertThat(cached).isEqualTo(view(reader.read(keys, engine.settings(), true)));
    assertThat(cached.get("MOBILE:13907350061"))
        .containsExactlyInAnyOrder(
            pk("BU-1") + "→" + split.remaining(), pk("BU-2") + "→" + split.splitOff());
  }

  @Test
  void aKeyRowDeletedIsSeenEvenWhenAnotherRowTakesItsPlaceAtTheSameCount() throws Exception {
    ingest.ingest(card("BK-1", "莫小燕", "13907350071", "1995-08-30"));
    UUID other = ingest.ingest(card("BK-2", "莫振华", "13907350072", "1960-02-11")).memberId();
    List<String> keys = keysOf(card("BK-3", "莫小燕", "13907350071", "1995-08-30"));
    reader.read(keys, engine.settings(), false);
    assertThat(cache.get("MOBILE:13907350071").size()).isEqualTo(1);

    // as an erasure or a script would: the block loses its row, another takes its place
    elsewhere(
        "delete from match_key where key = 'MOBILE:13907350071' and source_record_pk = ?",
        pk("BK-1"));
    elsewhere(
        "insert into match_key (key, source_record_pk) values ('MOBILE:13907350071', ?)",
        pk("BK-2"));

    assertThat(view(reader.read(keys, engine.settings(), false)))
        .isEqualTo(view(reader.read(keys, engine.settings(), true)))
        .containsEntry("MOBILE:13907350071", List.of(pk("BK-2") + "→" + other));
  }

  @Test
  void aMoveCommittedAfterASegmentLookedKeepsTheSegmentsBlockOutOfTheCache() throws Exception {
    ingest.ingest(card("BL-1", "钟丽娟", "13907350081", "1984-12-12"));
    UUID other = ingest.ingest(card("BL-2", "钟伟", "13907350082", "1958-03-03")).memberId();
    List<String> keys = keysOf(card("BL-4", "钟丽娟", "13907350081", "1984-12-12"));

    try (Connection slow = dataSource.getConnection()) {
      slow.setAutoCommit(false);
      try (PreparedStatement move =
          slow.prepareStatement("update source_record set member_id = ? where id = ?")) {
        move.setObject(1, other);
        move.setLong(2, pk("BL-1"));
        move.executeUpdate();
      }
      // a segment reads her block while the move is not committed, and will keep it as it saw it
      new TransactionTemplate(transactions)
          .executeWithoutResult(
              status -> {
                SegmentIndex seen = reader.read(keys, engine.settings(), true);
                reader.written(seen);
                // the move commits, and another reader looks before the segment commits
                try {
                  slow.commit();
                } catch (java.sql.SQLException e) {
                  throw new IllegalStateException(e);
                }
                otherThread(
                    () -> reader.read(List.of("MOBILE:13907350082"), engine.settings(), false));
              });
    }

    // the segment's stale block was not kept
    assertThat(cache.get("MOBILE:13907350081")).isNull();
    Map<String, List<String>> cached = view(reader.read(keys, engine.settings(), false));
    assertThat(cached).isEqualTo(view(reader.read(keys, engine.settings(), true)));
    assertThat(cached.get("MOBILE:13907350081")).contains(pk("BL-1") + "→" + other);
  }

  @Test
  void aCacheWhoseWatermarkIsBelowWhatTheLogPrunedStartsAfresh() {
    ingest.ingest(card("BP-1", "蓝桂英", "13907350101", "1966-10-01"));
    assertThat(cache.get("MOBILE:13907350101")).isNotNull();

    // an entry logged two days ago by a transaction that committed just now (it was open that long)
    jdbc.update(
        "insert into match_block_change (key, logged_at) values ('NAME:某某', now() - interval '2 days')");
    assertThat(log.prune()).isPositive();

    reader.read(List.of("MOBILE:13907350101"), engine.settings(), false);
    assertThat(cache.get("MOBILE:13907350101")).isNull();
    ingest.ingest(card("BP-2", "蓝海", "13907350102", "1991-01-01"));
    assertThat(cache.get("MOBILE:13907350102")).isNotNull();
  }

  @Test
  void aChangeThatKeepsTheRecordsKeysLeavesItsBlocksStandingAndANewPhoneDropsTheOldOne() {
    ingest.ingest(card("BN-1", "韦春花", "13907350091", "1986-07-07"));
    assertThat(cache.get("MOBILE:13907350091")).isNotNull();
    long before = logged("MOBILE:13907350091");

    // the till sends her card again with a note: new content, the same keys
    ingest.ingest(
        MemberCards.card("pos-store-90", "BN-1", "韦春花", "女", "13907350091", "1986-07-07", "喜欢绿茶"));
    assertThat(logged("MOBILE:13907350091")).isEqualTo(before);
    assertThat(cache.get("MOBILE:13907350091")).isNotNull();

    // then with a new phone: the old phone's block lost her record
    ingest.ingest(card("BN-1", "韦春花", "13907350092", "1986-07-07"));
    assertThat(logged("MOBILE:13907350091")).isEqualTo(before + 1);
    List<String> keys = keysOf(card("BN-2", "韦春花", "13907350091", "1986-07-07"));
    assertThat(view(reader.read(keys, engine.settings(), false)))
        .isEqualTo(view(reader.read(keys, engine.settings(), true)))
        .doesNotContainKey("MOBILE:13907350091");
    assertThat(cache.get("MOBILE:13907350091")).isNull();
  }

  private long logged(String key) {
    return jdbc.queryForObject(
        "select count(*) from match_block_change where key = ?", Long.class, key);
  }

  /** Each followed block of an index as its rows with their members, sorted. */
  private static Map<String, List<String>> view(SegmentIndex index) {
    Map<String, List<String>> out = new TreeMap<>();
    index
        .followedBlocks()
        .forEach(
            (key, block) -> {
              TreeSet<String> rows = new TreeSet<>();
              for (int i = 0; i < block.size(); i++) {
                rows.add(block.row(i) + "→" + block.member(i));
              }
              out.put(key, List.copyOf(rows));
            });
    return out;
  }

  /** Runs {@code work} on another thread (another connection) and waits for it. */
  private static void otherThread(Runnable work) {
    Thread t = new Thread(work);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A statement committed on a connection of its own. */
  private void elsewhere(String sql, Object... args) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      c.setAutoCommit(true);
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.executeUpdate();
    }
  }

  private long pk(String recordId) {
    return jdbc.queryForObject(
        "select id from source_record where source = 'pos-store-90' and source_record_id = ?",
        Long.class,
        recordId);
  }

  private static List<String> keysOf(SourceRecord record) {
    return IncomingRecord.of(record, null, Instant.now()).incoming().keys();
  }

  private static SourceRecord card(String id, String name, String mobile, String birthday) {
    return MemberCards.card("pos-store-90", id, name, "女", mobile, birthday, null);
  }
}
