package com.onemember.mdm.ingest;

import com.onemember.canonical.Lineage;
import com.onemember.canonical.Member;
import com.onemember.canonical.Tag;
import com.onemember.mdm.tags.TagRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

  /** A tag a person gave a member (or a member since merged into it). */
  public record ManualTag(String name, String note, String addedBy, Instant addedAt) {}

  /** {@code golden} with its rule and manual tags at {@code now}. */
  public Member tag(Member golden, Instant now) {
    return tag(golden, now, manualTags(List.of(golden.id())).getOrDefault(golden.id(), List.of()));
  }

  /**
   * {@code golden} with its rule tags at {@code now} and the manual tags {@code manual} (as {@link
   * #manualTags} read them; none for a member the hub has just created).
   */
  public Member tag(Member golden, Instant now, List<ManualTag> manual) {
    LinkedHashSet<Tag> tags = new LinkedHashSet<>(golden.tags());
    List<Lineage> lineage = new ArrayList<>(golden.lineage());
    for (TagRules.Earned e : rules.evaluate(golden, now)) {
      if (tags.add(e.tag())) {
        lineage.add(e.lineage());
      }
    }
    for (ManualTag m : manual) {
      Tag tag = new Tag(m.name(), MANUAL);
      if (tags.add(tag)) {
        lineage.add(
            new Lineage(
                "tags",
                tag.name() + " (" + MANUAL + ")",
                "MANUAL",
                "由 %s 于 %s 添加：%s / added by %s at %s: %s"
                    .formatted(
                        m.addedBy(), m.addedAt(), m.note(), m.addedBy(), m.addedAt(), m.note()),
                List.of()));
      }
    }
    return withTags(golden, List.copyOf(tags), lineage);
  }

  /**
   * The manual tags of the live members {@code memberIds}, each with those of the members merged
   * into it, oldest first, in one query; a member without any is absent from the map.
   */
  public Map<UUID, List<ManualTag>> manualTags(Collection<UUID> memberIds) {
    Map<UUID, List<ManualTag>> out = new HashMap<>();
    if (memberIds.isEmpty()) {
      return out;
    }
    jdbc.query(
        "select coalesce(m.merged_into, m.id), t.name, t.note, t.added_by, t.added_at"
            + " from member_tag t join member m on m.id = t.member_id"
            + " where coalesce(m.merged_into, m.id) = any(?)"
            + " order by t.added_at, t.name",
        rs -> {
          out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
              .add(
                  new ManualTag(
                      rs.getString(2),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getTimestamp(5).toInstant()));
        },
        (Object) memberIds.toArray(UUID[]::new));
    return out;
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
