package com.onemember.mdm.ingest;

import com.onemember.canonical.Member;
import com.onemember.mdm.outbox.GoldenChange;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.RecordJson;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Re-evaluates the tag rules that change with the date alone (沉睡客户 after 90 quiet days, 生日月 on the
 * first of the month): every live member whose tags would now be different gets a new version and a
 * TAGS_CHANGED event. Members are read in pages and each change commits on its own, so a sweep over
 * a million members holds no long transaction.
 */
@Component
public class TagSweep {

  private static final int PAGE = 500;

  private final JdbcTemplate jdbc;
  private final MemberRepository members;
  private final MemberMerges merges;
  private final MemberTags tags;
  private final TransactionTemplate transaction;

  public TagSweep(
      JdbcTemplate jdbc,
      MemberRepository members,
      MemberMerges merges,
      MemberTags tags,
      PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.members = members;
    this.merges = merges;
    this.tags = tags;
    this.transaction = new TransactionTemplate(transactions);
  }

  /** Sweeps as of {@code now}; returns how many members' tags changed. */
  public int sweep(Instant now) {
    int changed = 0;
    UUID after = new UUID(0, 0); // PostgreSQL orders uuids as unsigned bytes: nil is the least
    while (true) {
      List<UUID> page =
          jdbc.queryForList(
              // only purchases and the birthday make tags change with the date; a member with
              // neither cannot, and need not be read
              "select id from member where merged_into is null and withdrawn_at is null"
                  + " and (golden -> 'purchases' is not null or golden ->> 'birthday' is not null)"
                  + " and id > ? order by id limit ?",
              UUID.class,
              after,
              PAGE);
      if (page.isEmpty()) {
        return changed;
      }
      for (UUID id : page) {
        Boolean did = transaction.execute(status -> sweepOne(id, now));
        if (Boolean.TRUE.equals(did)) {
          changed++;
        }
      }
      after = page.get(page.size() - 1);
    }
  }

  private boolean sweepOne(UUID id, Instant now) {
    MemberEntity member = members.lockAll(List.of(id)).get(0);
    if (member.getMergedInto() != null || member.getWithdrawnAt() != null) {
      return false;
    }
    Member golden = RecordJson.member(member.getGolden());
    if (!tags.changesAt(golden, now)) {
      return false;
    }
    merges.resurvive(
        member,
        now,
        MemberChange.byPerson(
            GoldenChange.TAGS_CHANGED, "tag rules re-evaluated on " + now + " / 标签规则定期评估"));
    return true;
  }
}
