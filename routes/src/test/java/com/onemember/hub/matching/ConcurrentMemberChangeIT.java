package com.onemember.hub.matching;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.SourceRecord;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.MemberCards;
import com.onemember.mdm.ingest.IngestOutcome;
import com.onemember.mdm.ingest.bulk.SourceRecordIngest;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An ingest decides on committed data and locks only the member it joins. When another transaction
 * changed that member in between (here: merged it into another member while holding its lock), the
 * ingest sees it under the lock and decides again, instead of joining a member that no longer
 * exists.
 */
class ConcurrentMemberChangeIT extends HubIT {

  @Autowired SourceRecordIngest ingest;
  @Autowired DataSource dataSource;
  @Autowired JdbcTemplate jdbc;

  @Test
  void aMemberMergedAwayWhileTheRecordWasDecidedIsNotJoined() throws Exception {
    UUID wangWei = ingest.ingest(till("CC-1", "王伟", "13907310021", "1990-05-03")).memberId();
    UUID other = ingest.ingest(till("CC-2", "刘洋", "13907310022", "1985-11-20")).memberId();

    IngestOutcome outcome;
    try (Connection steward = dataSource.getConnection()) {
      steward.setAutoCommit(false);
      try (var lock = steward.prepareStatement("select id from member where id = ? for update")) {
        lock.setObject(1, wangWei);
        lock.executeQuery().close();
      }
      // the same person again: decided against 王伟's member as committed, then waits for its lock
      CompletableFuture<IngestOutcome> again =
          CompletableFuture.supplyAsync(
              () -> ingest.ingest(till("CC-3", "王伟", "13907310021", "1990-05-03")));
      awaitWaitingOnARowLock();
      // meanwhile 王伟's member is merged into the other one, and committed
      try (var merge = steward.prepareStatement("update member set merged_into = ? where id = ?")) {
        merge.setObject(1, other);
        merge.setObject(2, wangWei);
        merge.executeUpdate();
      }
      try (var move =
          steward.prepareStatement("update source_record set member_id = ? where member_id = ?")) {
        move.setObject(1, other);
        move.setObject(2, wangWei);
        move.executeUpdate();
      }
      steward.commit();
      outcome = again.get(60, TimeUnit.SECONDS);
    }

    // joined or not (the other member also holds 刘洋), never the member merged away
    assertThat(outcome.memberId()).isNotEqualTo(wangWei);
    assertThat(
            jdbc.queryForObject(
                "select m.merged_into is null from source_record r join member m on m.id ="
                    + " r.member_id where r.source_record_id = 'CC-3'",
                Boolean.class))
        .isTrue();
  }

  private void awaitWaitingOnARowLock() throws InterruptedException {
    Instant until = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(until)) {
      Integer waiting =
          jdbc.queryForObject(
              "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                  + " and query like '%from member%'",
              Integer.class);
      if (waiting != null && waiting > 0) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the ingest never waited for the member's lock");
  }

  private static SourceRecord till(String id, String name, String mobile, String birthday) {
    return MemberCards.card("pos-store-88", id, name, "男", mobile, birthday, null);
  }
}
