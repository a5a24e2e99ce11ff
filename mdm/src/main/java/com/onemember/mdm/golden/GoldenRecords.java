package com.onemember.mdm.golden;

import com.onemember.canonical.Address;
import com.onemember.canonical.Consent;
import com.onemember.canonical.Gender;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.Member;
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
import java.util.Objects;
import java.util.UUID;

/** Survives a golden {@link Member} from its source records. */
public final class GoldenRecords {

  private GoldenRecords() {}

  /**
   * The golden record over {@code records}. Records are ordered newest first by {@link
   * StandardizedRecord#effectiveTime()}, ties broken by source and id so the result never depends
   * on the order of the input list.
   */
  public static Member survive(
      UUID id,
      long version,
      Instant createdAt,
      Instant updatedAt,
      List<StandardizedRecord> records) {
    List<StandardizedRecord> newestFirst = new ArrayList<>(records);
    newestFirst.sort(
        Comparator.comparing(StandardizedRecord::effectiveTime)
            .reversed()
            .thenComparing(StandardizedRecord::source)
            .thenComparing(StandardizedRecord::sourceRecordId));

    PersonName name =
        newestFirst.stream()
            .map(StandardizedRecord::name)
            .filter(Objects::nonNull)
            .min(Comparator.comparingInt(GoldenRecords::nameRank))
            .orElse(null);
    Gender gender =
        newestFirst.stream()
            .map(StandardizedRecord::effectiveGender)
            .filter(g -> g != Gender.UNKNOWN)
            .findFirst()
            .orElse(Gender.UNKNOWN);
    Birthday birthday =
        newestFirst.stream()
            .map(StandardizedRecord::birthday)
            .filter(Objects::nonNull)
            .min(Comparator.comparing(b -> !b.hasYear()))
            .orElse(null);

    LinkedHashSet<Identifier> identifiers = new LinkedHashSet<>();
    LinkedHashSet<Address> addresses = new LinkedHashSet<>();
    LinkedHashSet<Tag> tags = new LinkedHashSet<>();
    Map<String, Consent> consents = new LinkedHashMap<>();
    for (StandardizedRecord r : newestFirst) {
      identifiers.addAll(r.identifiers());
      addresses.addAll(r.addresses());
      tags.addAll(r.tags());
      for (Consent c : r.consents()) {
        consents.merge(c.channel(), c, GoldenRecords::later);
      }
    }
    return new Member(
        id,
        version,
        name == null ? null : name.display(),
        gender,
        birthday == null ? null : birthday.toString(),
        List.copyOf(identifiers),
        List.copyOf(addresses),
        List.copyOf(consents.values()),
        List.copyOf(tags),
        createdAt,
        updatedAt);
  }

  /**
   * Most complete first: a full Chinese name, then a romanised or other name, then a title such as
   * 李女士 that only gives the surname.
   */
  private static int nameRank(PersonName name) {
    if (name.titleOnly()) {
      return 2;
    }
    return name.surname() != null ? 0 : 1;
  }

  /** Of two consents for one channel, the one recorded later; the first seen if undated. */
  private static Consent later(Consent seen, Consent other) {
    if (seen.recordedAt() == null || other.recordedAt() == null) {
      return seen;
    }
    return other.recordedAt().isAfter(seen.recordedAt()) ? other : seen;
  }
}
