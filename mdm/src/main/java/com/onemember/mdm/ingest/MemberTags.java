package com.onemember.mdm.ingest;

import com.onemember.canonical.Lineage;
import com.onemember.canonical.Member;
import com.onemember.canonical.Tag;
import com.onemember.mdm.tags.TagRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Adds to a survived golden record the tags its rules give and the tags people gave it by hand,
 * each with its lineage. The sources' own tags are already there (a union).
 */
@Component
public class MemberTags {

  /** The source of a tag a person gave. */
  public static final String MANUAL = "manual";

  private final TagRules rules;
  private final JdbcTemplate jdbc;

  public MemberTags(TagSettings settings, JdbcTemplate jdbc) {
    this.rules = new TagRules(settings.rules());
    this.jdbc = jdbc;
  }

  /** {@code golden} with its rule and manual tags at {@code now}. */
  public Member tag(Member golden, Instant now) {
    LinkedHashSet<Tag> tags = new LinkedHashSet<>(golden.tags());
    List<Lineage> lineage = new ArrayList<>(golden.lineage());
    for (TagRules.Earned e : rules.evaluate(golden, now)) {
      if (tags.add(e.tag())) {
        lineage.add(e.lineage());
      }
    }
    jdbc.query(
        "select name, note, added_by, added_at from member_tag"
            + " where member_id = ? or member_id in (select id from member where merged_into = ?)"
            + " order by added_at, name",
        rs -> {
          Tag tag = new Tag(rs.getString(1), MANUAL);
          if (tags.add(tag)) {
            lineage.add(
                new Lineage(
                    "tags",
                    tag.name() + " (" + MANUAL + ")",
                    "MANUAL",
                    "由 %s 于 %s 添加：%s / added by %s at %s: %s"
                        .formatted(
                            rs.getString(3),
                            rs.getTimestamp(4).toInstant(),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getTimestamp(4).toInstant(),
                            rs.getString(2)),
                    List.of()));
          }
        },
        golden.id(),
        golden.id());
    return withTags(golden, List.copyOf(tags), lineage);
  }

  /** Whether the tags of a stored golden record would be different at {@code now}. */
  public boolean changesAt(Member golden, Instant now) {
    return !tag(withoutDerivedTags(golden), now).tags().equals(golden.tags());
  }

  /** The golden record with only its sources' tags, as survivorship gives it. */
  static Member withoutDerivedTags(Member golden) {
    List<Tag> own =
        golden.tags().stream()
            .filter(t -> !TagRules.RULE.equals(t.source()) && !MANUAL.equals(t.source()))
            .toList();
    List<Lineage> lineage =
        golden.lineage().stream()
            .filter(l -> !l.rule().equals("TAG_RULE") && !l.rule().equals("MANUAL"))
            .toList();
    return withTags(golden, own, lineage);
  }

  /** {@code golden} with other tags and lineage, everything else as it is. */
  private static Member withTags(Member golden, List<Tag> tags, List<Lineage> lineage) {
    return new Member(
        golden.id(),
        golden.version(),
        golden.name(),
        golden.gender(),
        golden.birthday(),
        golden.identifiers(),
        golden.addresses(),
        golden.consents(),
        tags,
        golden.purchases(),
        lineage,
        golden.createdAt(),
        golden.updatedAt(),
        golden.servedBy());
  }
}
