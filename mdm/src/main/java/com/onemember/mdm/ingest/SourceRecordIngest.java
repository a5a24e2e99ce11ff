package com.onemember.mdm.ingest;

import com.onemember.canonical.Member;
import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.golden.GoldenRecords;
import com.onemember.mdm.matching.CandidateMember;
import com.onemember.mdm.matching.IdentityMatcher;
import com.onemember.mdm.matching.MatchDecision;
import com.onemember.mdm.matching.MatchKeys;
import com.onemember.mdm.standardize.RecordStandardizer;
import com.onemember.mdm.standardize.StandardizedRecord;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SourceRecordEntity;
import com.onemember.mdm.store.SourceRecordRepository;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Ingests source records into golden members. Idempotent: a re-delivery changes nothing. */
@Service
public class SourceRecordIngest {

  /** Concurrent merges may move a candidate while we wait for its lock; then we look again. */
  private static final int MAX_ATTEMPTS = 5;

  private final SourceRecordRepository records;
  private final MemberRepository members;
  private final JdbcTemplate jdbc;
  private final EntityManager entityManager;
  private final RecordStandardizer standardizer = new RecordStandardizer();
  private final IdentityMatcher matcher = new IdentityMatcher();
  private final Clock clock;

  public SourceRecordIngest(
      SourceRecordRepository records,
      MemberRepository members,
      JdbcTemplate jdbc,
      EntityManager entityManager,
      Clock clock) {
    this.entityManager = entityManager;
    this.records = records;
    this.members = members;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Ingests one record in the caller's transaction (or a new one). */
  @Transactional
  public IngestOutcome ingest(SourceRecord record) {
    Instant now = clock.instant();
    RecordStandardizer.Outcome standardized = standardizer.standardize(record, now);
    if (standardized instanceof RecordStandardizer.Refused refused) {
      return IngestOutcome.rejected(refused.message());
    }
    StandardizedRecord clean = ((RecordStandardizer.Accepted) standardized).record();
    List<String> keys = MatchKeys.of(clean);
    lockKeys(keys, record);

    String raw = RecordJson.write(record);
    String hash = RecordJson.sha256(raw);
    var existing = records.findBySourceAndSourceRecordId(record.source(), record.sourceRecordId());
    if (existing.isPresent()) {
      SourceRecordEntity stored = existing.get();
      if (stored.getContentHash().equals(hash)) {
        return new IngestOutcome(
            IngestOutcome.Kind.UNCHANGED, stored.getMemberId(), null, List.of("same content"));
      }
      StandardizedRecord previous = RecordJson.clean(stored.getClean());
      StandardizedRecord kept = withReceivedAt(clean, previous.receivedAt());
      stored.setContent(
          raw, RecordJson.write(kept), hash, record.sourceUpdatedAt(), Set.copyOf(keys), now);
      MemberEntity member = members.lockAll(List.of(stored.getMemberId())).get(0);
      resurvive(member, now);
      return new IngestOutcome(
          IngestOutcome.Kind.UPDATED, member.getId(), null, List.of("content changed"));
    }
    return ingestNew(record, clean, raw, hash, keys, now);
  }

  private IngestOutcome ingestNew(
      SourceRecord record,
      StandardizedRecord clean,
      String raw,
      String hash,
      List<String> keys,
      Instant now) {
    for (int attempt = 1; ; attempt++) {
      List<UUID> candidateIds = keys.isEmpty() ? List.of() : records.findMemberIdsByMatchKeys(keys);
      List<MemberEntity> locked =
          candidateIds.isEmpty() ? List.of() : members.lockAll(candidateIds);
      boolean moved = locked.stream().anyMatch(m -> m.getMergedInto() != null);
      if (moved && attempt < MAX_ATTEMPTS) {
        continue;
      }
      Map<UUID, List<SourceRecordEntity>> byMember = recordsByMember(candidateIds);
      List<CandidateMember> candidates = new ArrayList<>();
      for (MemberEntity m : locked) {
        if (m.getMergedInto() == null) {
          candidates.add(
              new CandidateMember(
                  m.getId(),
                  m.getCreatedAt(),
                  byMember.getOrDefault(m.getId(), List.of()).stream()
                      .map(e -> RecordJson.clean(e.getClean()))
                      .toList()));
        }
      }
      MatchDecision decision = matcher.decide(clean, candidates);
      SourceRecordEntity entity =
          new SourceRecordEntity(record.source(), record.sourceRecordId(), now);
      entity.setContent(
          raw, RecordJson.write(clean), hash, record.sourceUpdatedAt(), Set.copyOf(keys), now);
      String evidence = RecordJson.write(decision.evidence());

      if (decision instanceof MatchDecision.Join join) {
        MemberEntity survivor =
            locked.stream()
                .filter(m -> m.getId().equals(join.memberId()))
                .findFirst()
                .orElseThrow();
        for (UUID absorbedId : join.absorbed()) {
          for (SourceRecordEntity moving : byMember.getOrDefault(absorbedId, List.of())) {
            moving.linkTo(survivor.getId(), moving.getMatchEvidence());
          }
          members.repointMerged(absorbedId, survivor.getId());
          locked.stream()
              .filter(m -> m.getId().equals(absorbedId))
              .findFirst()
              .orElseThrow()
              .mergeInto(survivor.getId(), now);
        }
        entity.linkTo(survivor.getId(), evidence);
        entityManager.persist(entity);
        resurvive(survivor, now);
        return new IngestOutcome(
            IngestOutcome.Kind.MERGED, survivor.getId(), null, decision.evidence());
      }
      MemberEntity created = new MemberEntity(UUID.randomUUID(), now);
      created.newVersion(
          RecordJson.write(GoldenRecords.survive(created.getId(), 1, now, now, List.of(clean))),
          now);
      entityManager.persist(created);
      entityManager.flush();
      entity.linkTo(created.getId(), evidence);
      entityManager.persist(entity);
      return new IngestOutcome(
          IngestOutcome.Kind.CREATED, created.getId(), null, decision.evidence());
    }
  }

  private Map<UUID, List<SourceRecordEntity>> recordsByMember(List<UUID> memberIds) {
    Map<UUID, List<SourceRecordEntity>> out = new LinkedHashMap<>();
    if (memberIds.isEmpty()) {
      return out;
    }
    for (SourceRecordEntity e : records.findByMemberIdIn(memberIds)) {
      out.computeIfAbsent(e.getMemberId(), k -> new ArrayList<>()).add(e);
    }
    return out;
  }

  /** Writes a new golden version of {@code member} from all its records. */
  private void resurvive(MemberEntity member, Instant now) {
    records.flush();
    List<StandardizedRecord> clean =
        records.findByMemberIdOrderByIdAsc(member.getId()).stream()
            .map(e -> RecordJson.clean(e.getClean()))
            .toList();
    Member golden =
        GoldenRecords.survive(
            member.getId(), member.getVersion() + 1, member.getCreatedAt(), now, clean);
    member.newVersion(RecordJson.write(golden), now);
  }

  /**
   * Serialises ingests that could concern the same person: one transaction-scoped advisory lock per
   * match key and one for the record's own natural key, taken in ascending order of their 64-bit
   * hashes so that two transactions never wait on each other in a cycle. A hash collision only
   * serialises two unrelated ingests; it never lets related ones run together.
   */
  private void lockKeys(List<String> keys, SourceRecord record) {
    Set<String> all = new HashSet<>(keys);
    all.add("record:" + record.source() + ":" + record.sourceRecordId());
    List<Long> ids =
        all.stream()
            .map(
                k ->
                    new java.math.BigInteger(RecordJson.sha256(k).substring(0, 16), 16).longValue())
            .distinct()
            .sorted(Comparator.naturalOrder())
            .toList();
    for (Long id : ids) {
      jdbc.queryForObject("select pg_advisory_xact_lock(?)::text", String.class, id);
    }
  }

  private static StandardizedRecord withReceivedAt(StandardizedRecord r, Instant receivedAt) {
    return new StandardizedRecord(
        r.source(),
        r.sourceRecordId(),
        receivedAt,
        r.sourceUpdatedAt(),
        r.name(),
        r.nickname(),
        r.gender(),
        r.birthday(),
        r.identifiers(),
        r.maskedMobiles(),
        r.addresses(),
        r.consents(),
        r.tags());
  }
}
