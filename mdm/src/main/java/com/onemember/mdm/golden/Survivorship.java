package com.onemember.mdm.golden;

import com.onemember.canonical.Address;
import com.onemember.canonical.Consent;
import com.onemember.canonical.Gender;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.Lineage;
import com.onemember.canonical.LineageSource;
import com.onemember.canonical.Member;
import com.onemember.canonical.Purchases;
import com.onemember.canonical.ServingStaff;
import com.onemember.canonical.Tag;
import com.onemember.mdm.standardize.Birthday;
import com.onemember.mdm.standardize.PersonName;
import com.onemember.mdm.standardize.StandardizedRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Survives a golden {@link Member} from its source records by the {@link SurvivorshipRules}, and
 * records for every golden value where it came from ({@link Lineage}). The result depends only on
 * the records' contents, never on the order they are listed in: the same records always give the
 * same golden record, which is what lets a rollback or an unmerge restore one exactly.
 */
public final class Survivorship {

  private final SurvivorshipRules rules;

  /** Newest by the source's own time, then by source and id so that ties are settled the same. */
  private static final Comparator<StandardizedRecord> NEWEST_FIRST =
      Comparator.comparing(StandardizedRecord::effectiveTime)
          .reversed()
          .thenComparing(StandardizedRecord::source)
          .thenComparing(StandardizedRecord::sourceRecordId);

  /** Records in the order their values are preferred: most trusted, then newest. */
  private final Comparator<StandardizedRecord> preferred;

  public Survivorship(SurvivorshipRules rules) {
    this.rules = rules;
    this.preferred =
        Comparator.comparingInt((StandardizedRecord r) -> -rules.trustOf(r.source()))
            .thenComparing(NEWEST_FIRST);
  }

  public SurvivorshipRules rules() {
    return rules;
  }

  /** The golden record over {@code records}. */
  public Member survive(
      UUID id,
      long version,
      Instant createdAt,
      Instant updatedAt,
      List<StandardizedRecord> records) {
    List<StandardizedRecord> ordered = new ArrayList<>(records);
    ordered.sort(preferred);
    List<Lineage> lineage = new ArrayList<>();

    PersonName name =
        single(
            GoldenAttribute.NAME,
            candidates(ordered, StandardizedRecord::name, PersonName::display, Survivorship::rank),
            lineage);
    Gender gender =
        single(
            GoldenAttribute.GENDER,
            candidates(
                ordered,
                r -> r.effectiveGender() == Gender.UNKNOWN ? null : r.effectiveGender(),
                Gender::name,
                (r, g) -> r.gender() == Gender.UNKNOWN ? 0 : 1),
            lineage);
    Birthday birthday =
        single(
            GoldenAttribute.BIRTHDAY,
            candidates(
                ordered,
                StandardizedRecord::birthday,
                Birthday::toString,
                (r, b) -> b.hasYear() ? 1 : 0),
            lineage);

    List<Identifier> identifiers =
        union(
            "identifiers",
            ordered,
            StandardizedRecord::identifiers,
            Survivorship::describe,
            lineage);
    List<Address> addresses =
        union("addresses", ordered, StandardizedRecord::addresses, Survivorship::describe, lineage);
    List<Consent> consents = consents(ordered, lineage);
    List<Tag> tags =
        union(
            "tags",
            ordered,
            StandardizedRecord::tags,
            t -> t.source() == null ? t.name() : t.name() + " (" + t.source() + ")",
            lineage);
    return new Member(
        id,
        version,
        name == null ? null : name.display(),
        gender == null ? Gender.UNKNOWN : gender,
        birthday == null ? null : birthday.toString(),
        identifiers,
        addresses,
        consents,
        tags,
        purchases(ordered, lineage),
        lineage,
        createdAt,
        updatedAt,
        servedBy(ordered, lineage));
  }

  /** One record's value of an attribute, how it compares, and how complete it is. */
  private record Candidate<V>(StandardizedRecord record, V value, String key, int completeness) {}

  private interface Completeness<V> {
    int of(StandardizedRecord record, V value);
  }

  private static <V> List<Candidate<V>> candidates(
      List<StandardizedRecord> records,
      Function<StandardizedRecord, V> value,
      Function<V, String> key,
      Completeness<V> completeness) {
    List<Candidate<V>> out = new ArrayList<>();
    for (StandardizedRecord r : records) {
      V v = value.apply(r);
      if (v != null) {
        out.add(new Candidate<>(r, v, key.apply(v), completeness.of(r, v)));
      }
    }
    return out;
  }

  /**
   * Applies the attribute's chain until one value is left, and notes the rule that decided. The
   * candidates come in preferred order, so the first one holding the winning value is its source.
   */
  private <V> V single(
      GoldenAttribute attribute, List<Candidate<V>> candidates, List<Lineage> lineage) {
    if (candidates.isEmpty()) {
      return null;
    }
    List<Candidate<V>> left = candidates;
    String rule = null;
    String reason = null;
    if (distinctValues(left) == 1) {
      rule = "AGREED";
      reason =
          left.size()
              + " 条源记录给出此值，无不同的值 / "
              + left.size()
              + (left.size() == 1 ? " source record gives" : " source records give")
              + " this value and none another";
    } else {
      for (SurvivorshipRule r : rules.chain(attribute)) {
        List<Candidate<V>> kept = keepBest(r, left);
        if (distinctValues(kept) == 1) {
          rule = r.name();
          reason = explain(attribute, r, kept, outvoted(left, kept));
          left = kept;
          break;
        }
        left = kept;
      }
      if (rule == null) {
        Candidate<V> newest =
            left.stream().min(Comparator.comparing(Candidate::record, NEWEST_FIRST)).orElseThrow();
        left = left.stream().filter(c -> c.key().equals(newest.key())).toList();
        rule = "TIE_BREAK";
        reason =
            "规则未能区分，取最近更改的记录（再按来源名）/ the rules could not decide; taken from the"
                + " most recently changed record, then by source name";
      }
    }
    Candidate<V> winner = left.get(0);
    List<LineageSource> sources = new ArrayList<>();
    sources.add(source(winner.record()));
    for (Candidate<V> c : candidates) {
      if (c != winner && c.key().equals(winner.key())) {
        sources.add(source(c.record()));
      }
    }
    lineage.add(new Lineage(attribute.key(), winner.key(), rule, reason, sources));
    return winner.value();
  }

  private static long distinctValues(List<? extends Candidate<?>> candidates) {
    return candidates.stream().map(Candidate::key).distinct().count();
  }

  /** The candidates still in play whose value lost at this step. */
  private static <V> List<Candidate<V>> outvoted(List<Candidate<V>> left, List<Candidate<V>> kept) {
    Set<String> winning = kept.stream().map(Candidate::key).collect(Collectors.toSet());
    return left.stream().filter(c -> !winning.contains(c.key())).toList();
  }

  /** The candidates that are best by {@code rule}'s measure, in their preferred order. */
  private <V> List<Candidate<V>> keepBest(SurvivorshipRule rule, List<Candidate<V>> left) {
    Map<String, Long> frequency =
        left.stream().collect(Collectors.groupingBy(Candidate::key, Collectors.counting()));
    Comparator<Candidate<V>> better =
        switch (rule) {
          case SOURCE_TRUST -> Comparator.comparingInt(c -> rules.trustOf(c.record().source()));
          case MOST_RECENT -> Comparator.comparing(c -> c.record().effectiveTime());
          case MOST_FREQUENT -> Comparator.comparingLong(c -> frequency.get(c.key()));
          case MOST_COMPLETE -> Comparator.comparingInt(Candidate::completeness);
        };
    Candidate<V> best = left.stream().max(better).orElseThrow();
    return left.stream().filter(c -> better.compare(c, best) == 0).toList();
  }

  private <V> String explain(
      GoldenAttribute attribute,
      SurvivorshipRule rule,
      List<Candidate<V>> kept,
      List<Candidate<V>> lost) {
    Candidate<V> w = kept.get(0);
    Candidate<V> l = lost.get(0);
    return switch (rule) {
      case SOURCE_TRUST -> {
        int wt = rules.trustOf(w.record().source());
        int lt = rules.trustOf(l.record().source());
        yield "来源可信度：%s（%d）高于 %s（%d）/ source trust: %s (%d) over %s (%d)"
            .formatted(
                w.record().source(),
                wt,
                l.record().source(),
                lt,
                w.record().source(),
                wt,
                l.record().source(),
                lt);
      }
      case MOST_RECENT ->
          "来源时间最新：%s %s，晚于 %s %s / most recent by the source's time: %s %s, after %s %s"
              .formatted(
                  w.record().source(),
                  time(w.record()),
                  l.record().source(),
                  time(l.record()),
                  w.record().source(),
                  time(w.record()),
                  l.record().source(),
                  time(l.record()));
      case MOST_FREQUENT -> {
        long wins = kept.size();
        long most =
            lost.stream()
                .collect(Collectors.groupingBy(Candidate::key, Collectors.counting()))
                .values()
                .stream()
                .max(Long::compare)
                .orElse(0L);
        yield "%d 条源记录给出此值，其他值至多 %d 条 / given by %d source records, any other value by at most %d"
            .formatted(wins, most, wins, most);
      }
      case MOST_COMPLETE -> {
        String[] labels = COMPLETENESS.get(attribute);
        yield "更完整：%s，胜过%s / more complete: %s over %s"
            .formatted(
                zh(labels[w.completeness()]),
                zh(labels[l.completeness()]),
                en(labels[w.completeness()]),
                en(labels[l.completeness()]));
      }
    };
  }

  /** What each completeness level means, "中文|English", by attribute. */
  private static final Map<GoldenAttribute, String[]> COMPLETENESS =
      Map.of(
          GoldenAttribute.NAME,
          new String[] {
            "仅称谓（如李女士）|a title only (such as 李女士)",
            "拼音或不完整的姓名|a romanised or partial name",
            "完整中文姓名|a full Chinese name"
          },
          GoldenAttribute.GENDER,
          new String[] {"由称谓推断|read from a title", "来源填写|stated by the source"},
          GoldenAttribute.BIRTHDAY,
          new String[] {"无年份|no year", "含年份|a full date"});

  private static String zh(String label) {
    return label.substring(0, label.indexOf('|'));
  }

  private static String en(String label) {
    return label.substring(label.indexOf('|') + 1);
  }

  /** A name's completeness: 2 a full Chinese name, 1 romanised or other, 0 a title only. */
  private static int rank(StandardizedRecord record, PersonName name) {
    if (name.titleOnly()) {
      return 0;
    }
    return name.surname() != null ? 2 : 1;
  }

  private static String time(StandardizedRecord r) {
    return r.sourceUpdatedAt() != null
        ? r.sourceUpdatedAt().toString()
        : r.receivedAt() + "（接收时间 / received）";
  }

  /**
   * Every distinct value any record gives, in the order of the records preferring them, each with
   * the records it came from.
   */
  private static <V> List<V> union(
      String attribute,
      List<StandardizedRecord> ordered,
      Function<StandardizedRecord, List<V>> values,
      Function<V, String> describe,
      List<Lineage> lineage) {
    Map<V, List<StandardizedRecord>> from = new LinkedHashMap<>();
    for (StandardizedRecord r : ordered) {
      for (V v : new LinkedHashSet<>(values.apply(r))) {
        from.computeIfAbsent(v, k -> new ArrayList<>()).add(r);
      }
    }
    from.forEach(
        (v, records) ->
            lineage.add(
                new Lineage(
                    attribute,
                    describe.apply(v),
                    "UNION",
                    "取所有来源的并集，%d 条源记录有此值 / union of all sources; %d source record%s"
                        .formatted(
                            records.size(),
                            records.size(),
                            records.size() == 1 ? " has it" : "s have it"),
                    records.stream().map(Survivorship::source).toList())));
    return List.copyOf(from.keySet());
  }

  /** Serving staff in their golden order: by the system that says so, then by staff id. */
  private static final Comparator<ServingStaff> STAFF_ORDER =
      Comparator.comparing(ServingStaff::source, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(ServingStaff::staffId, Comparator.nullsFirst(Comparator.naturalOrder()));

  /**
   * Every staff member any record names, once per system and staff id, with the dates the most
   * preferred record naming them gives (its {@code departedAt} may be news the others lack). Sorted
   * by system and staff id rather than by record preference: a change of trust or a newer record
   * then moves no one in the list, and consumers comparing versions see only real changes.
   */
  private static List<ServingStaff> servedBy(
      List<StandardizedRecord> ordered, List<Lineage> lineage) {
    record Named(ServingStaff staff, List<StandardizedRecord> records) {}
    Map<List<String>, Named> pairs = new LinkedHashMap<>();
    for (StandardizedRecord r : ordered) {
      for (ServingStaff s : r.servedBy()) {
        Named named =
            pairs.computeIfAbsent(
                List.of(s.source(), s.staffId()), k -> new Named(s, new ArrayList<>()));
        List<StandardizedRecord> from = named.records();
        if (from.isEmpty() || from.get(from.size() - 1) != r) {
          from.add(r); // a record naming the pair twice is still one source of it
        }
      }
    }
    List<Named> sorted =
        pairs.values().stream().sorted(Comparator.comparing(Named::staff, STAFF_ORDER)).toList();
    for (Named n : sorted) {
      int count = n.records().size();
      lineage.add(
          new Lineage(
              "servedBy",
              n.staff().staffId() + " (" + n.staff().source() + ")",
              "UNION",
              "取所有来源的并集，%d 条源记录有此值 / union of all sources; %d source record%s"
                  .formatted(count, count, count == 1 ? " has it" : "s have it"),
              n.records().stream().map(Survivorship::source).toList()));
    }
    return sorted.stream().map(Named::staff).toList();
  }

  /**
   * One consent per channel, the one given last: by the consent's own time, or its record's when it
   * has none.
   */
  private List<Consent> consents(List<StandardizedRecord> ordered, List<Lineage> lineage) {
    record Given(Consent consent, StandardizedRecord record, Instant at) {}
    Map<String, Given> latest = new LinkedHashMap<>();
    for (StandardizedRecord r : ordered) {
      for (Consent c : r.consents()) {
        Given g = new Given(c, r, c.recordedAt() != null ? c.recordedAt() : r.effectiveTime());
        latest.merge(c.channel(), g, (seen, other) -> other.at().isAfter(seen.at()) ? other : seen);
      }
    }
    latest.forEach(
        (channel, g) ->
            lineage.add(
                new Lineage(
                    "consents",
                    channel + (g.consent().granted() ? " granted" : " refused"),
                    "LATEST_CONSENT",
                    "该渠道最新的意愿（%s）/ the latest choice for this channel (%s)"
                        .formatted(g.at(), g.at()),
                    List.of(source(g.record())))));
    return latest.values().stream().map(Given::consent).toList();
  }

  /**
   * Purchases added up over every record that reports any: each system counts its own orders, so
   * the member's orders are their sum; the latest purchase anywhere; every store named.
   */
  private static Purchases purchases(List<StandardizedRecord> ordered, List<Lineage> lineage) {
    List<StandardizedRecord> reporting =
        ordered.stream().filter(r -> r.purchases() != null).toList();
    if (reporting.isEmpty()) {
      return null;
    }
    int orders = 0;
    java.math.BigDecimal spent = java.math.BigDecimal.ZERO;
    Instant last = null;
    LinkedHashSet<String> stores = new LinkedHashSet<>();
    for (StandardizedRecord r : reporting) {
      Purchases p = r.purchases();
      orders += p.orders();
      spent = spent.add(p.spent());
      if (p.lastPurchaseAt() != null && (last == null || p.lastPurchaseAt().isAfter(last))) {
        last = p.lastPurchaseAt();
      }
      stores.addAll(p.stores());
    }
    Purchases total = new Purchases(orders, spent, last, List.copyOf(stores));
    lineage.add(
        new Lineage(
            "purchases",
            "%d orders, ¥%s".formatted(orders, spent.toPlainString()),
            "SUM",
            "%d 个来源系统各自的订单与金额相加 / the orders and amounts of %d source records added up"
                .formatted(reporting.size(), reporting.size()),
            reporting.stream().map(Survivorship::source).toList()));
    return total;
  }

  private static String describe(Identifier i) {
    return i.type() + " " + (i.scope() == null ? "" : i.scope() + ":") + i.value();
  }

  private static String describe(Address a) {
    return java.util.stream.Stream.of(a.province(), a.city(), a.district(), a.line())
        .filter(s -> s != null && !s.isBlank())
        .collect(Collectors.joining(" "));
  }

  private static LineageSource source(StandardizedRecord r) {
    return new LineageSource(r.source(), r.sourceRecordId(), r.sourceUpdatedAt(), r.receivedAt());
  }
}
