package com.onemember.mdm.stewardship;

import com.onemember.mdm.ingest.MemberChange;
import com.onemember.mdm.ingest.MemberMerges;
import com.onemember.mdm.outbox.GoldenChange;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.MemberRepository;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Tags people give members by hand, and take away again. */
@Service
public class ManualTags {

  private static final int MAX_LENGTH = 32;

  private final MemberRepository members;
  private final MemberMerges merges;
  private final JdbcTemplate jdbc;
  private final Clock clock;

  public ManualTags(MemberRepository members, MemberMerges merges, JdbcTemplate jdbc, Clock clock) {
    this.members = members;
    this.merges = merges;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Tags member {@code id} (or the member it was merged into); returns the member tagged. */
  @Transactional
  public UUID add(UUID id, String name, String note, String actor) {
    String tag = check(name);
    MemberEntity member = live(id);
    Instant now = clock.instant();
    int added =
        jdbc.update(
            "insert into member_tag (member_id, name, note, added_by, added_at)"
                + " values (?, ?, ?, ?, ?) on conflict do nothing",
            member.getId(),
            tag,
            note == null ? "" : note.strip(),
            actor,
            Timestamp.from(now));
    if (added > 0) {
      merges.resurvive(
          member,
          now,
          MemberChange.byPerson(
              GoldenChange.TAGS_CHANGED, "tag " + tag + " added by " + actor + " / 手工加标签"));
    }
    return member.getId();
  }

  /** Takes a hand-given tag away; refuses one a rule or a source gave. */
  @Transactional
  public UUID remove(UUID id, String name, String actor) {
    MemberEntity member = live(id);
    int removed =
        jdbc.update(
            "delete from member_tag where name = ? and (member_id = ? or member_id in"
                + " (select m.id from member m where m.merged_into = ?))",
            name,
            member.getId(),
            member.getId());
    if (removed == 0) {
      throw new StewardshipRefused(
          true,
          "该会员没有手工标签「%s」（规则或来源系统给的标签不能手工删除）/ the member has no hand-given tag '%s'"
                  .formatted(name, name)
              + " (tags from rules or source systems cannot be removed by hand)");
    }
    merges.resurvive(
        member,
        clock.instant(),
        MemberChange.byPerson(
            GoldenChange.TAGS_CHANGED, "tag " + name + " removed by " + actor + " / 手工删标签"));
    return member.getId();
  }

  private MemberEntity live(UUID id) {
    MemberEntity member =
        members
            .findById(id)
            .orElseThrow(() -> new StewardshipRefused(true, "没有这个会员 / there is no member " + id));
    MemberEntity live = members.lockAll(List.of(member.liveId())).get(0);
    if (live.getWithdrawnAt() != null) {
      throw new StewardshipRefused(false, "该会员已撤销 / this member was withdrawn");
    }
    return live;
  }

  private static String check(String name) {
    String tag = name == null ? "" : name.strip();
    if (tag.isEmpty()
        || tag.length() > MAX_LENGTH
        || tag.chars().anyMatch(Character::isISOControl)) {
      throw new StewardshipRefused(
          false,
          "标签名须为 1 到 %d 个字符 / a tag name has 1 to %d characters".formatted(MAX_LENGTH, MAX_LENGTH));
    }
    return tag;
  }
}
