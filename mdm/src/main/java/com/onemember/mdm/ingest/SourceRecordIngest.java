package com.onemember.mdm.ingest;

import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.audit.MergeAction;
import com.onemember.mdm.audit.MergeLog;
import com.onemember.mdm.blocking.MatchKeys;
import com.onemember.mdm.matching.CandidateMember;
import com.onemember.mdm.matching.MemberDecision;
import com.onemember.mdm.matching.RecentValues;
import com.onemember.mdm.matchmodels.MatchEngine;
import com.onemember.mdm.outbox.GoldenChange;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.scoring.MatchRecords;
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
import java.util.HashMap;
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

  private final SourceRecordRepository records;
  private final MemberRepository members;
  private final JdbcTemplate jdbc;
  private final EntityManager entityManager;
  private final RecordStandardizer standardizer = new RecordStandardizer();

  /** The actor of automatic decisions in the merge log. */
  public static final String MATCHER = "matcher";

  /**
   * Why a change to a record of an erased member is refused. Whoever keeps refusals must not keep
   * the refused record's data with it: that would undo the erasure.
   */
  public static final String ERASED_REFUSAL =
      "该记录所属会员的个人信息已按本人要求删除，不再接收其更新；如本人重新登记，请用新的记录编号 / the personal data of"
          + " this record's member was erased at the person's request, so changes to it are"
          + " no longer taken; if the person signs up again, send a record with a new id";

  private final MatchEngine engine;
  private final MergeLog mergeLog;
  private final MemberMerges merges;
  private final MemberSeparations separations;
  private final MatchReviews reviews;
  private final Clock clock;

  public SourceRecordIngest(
      SourceRecordRepository records,
      MemberRepository members,
      JdbcTemplate jdbc,
      EntityManager entityManager,
      MatchEngine engine,
      MatchReviews reviews,
      MergeLog mergeLog,
      MemberMerges merges,
      MemberSeparations separations,
      Clock clock) {
    this.separations = separations;
    this.mergeLog = mergeLog;
    this.merges = merges;
    this.engine = engine;
    this.reviews = reviews;
    this.entityManager = entityManager;
    this.records = records;
    this.members = members;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Ingests one record in the caller's transaction (or a new one). */
  @Transactional
  public IngestOutcome ingest(SourceRecord record) {
    return ingest(record, null);
  }

  /**
   * Ingests one record that a row of import {@code importId} brought ({@code null} when it came
   * another way). What the import changes is marked with its id so that it can be rolled back.
   */
  @Transactional
  public IngestOutcome ingest(SourceRecord record, UUID importId) {
    Instant now = clock.instant();
    RecordStandardizer.Outcome standardized = standardizer.standardize(record, now);
    if (standardized instanceof RecordStandardizer.Refused refused) {
      return IngestOutcome.rejected(refused.message());
    }
    RecordStandardizer.Accepted accepted = (RecordStandardizer.Accepted) standardized;
    StandardizedRecord clean = accepted.record();
    List<String> warnings =
        accepted.warnings().stream().map(com.onemember.mdm.standardize.Problem::message).toList();
    // the record's features once: its keys and every decision below read them
    MatchRecord features = MatchRecords.of(clean);
    List<String> keys = MatchKeys.of(features);
    lockKeys(keys, record);

    String raw = RecordJson.write(record);
    String hash = RecordJson.sha256(raw);
    var existing = records.findBySourceAndSourceRecordId(record.source(), record.sourceRecordId());
    if (existing.isPresent()) {
      SourceRecordEntity stored = existing.get();
      if (stored.getContentHash().equals(hash)) {
        return new IngestOutcome(
            IngestOutcome.Kind.UNCHANGED,
            stored.getMemberId(),
            null,
            List.of("same content"),
            warnings);
      }
      if (members.findById(stored.getMemberId()).map(m -> m.getErasedAt() != null).orElse(false)) {
        return IngestOutcome.rejected(ERASED_REFUSAL);
      }
      keepRevision(stored, importId, now);
      StandardizedRecord previous = RecordJson.clean(stored.getClean());
      StandardizedRecord kept = withReceivedAt(clean, previous.receivedAt());
      stored.setContent(
          raw, RecordJson.write(kept), hash, record.sourceUpdatedAt(), Set.copyOf(keys), now);
      MemberEntity member = members.lockAll(List.of(stored.getMemberId())).get(0);
      merges.resurvive(
          member,
          now,
          new MemberChange(
              GoldenChange.UPDATED,
              record.source() + ":" + record.sourceRecordId() + " changed / 源记录更新",
              importId,
              record.source()));
      return new IngestOutcome(
          IngestOutcome.Kind.UPDATED, member.getId(), null, List.of("content changed"), warnings);
    }
    return ingestNew(record, clean, features, raw, hash, keys, now, importId, warnings);
  }

  /** Keeps the stored content of a record a source is about to change: nothing sent is lost. */
  private void keepRevision(SourceRecordEntity stored, UUID importId, Instant now) {
    jdbc.update(
        "insert into source_record_revision (source_record_pk, raw, clean, content_hash,"
            + " source_updated_at, replaced_at, replaced_by_import)"
            + " values (?, ?::jsonb, ?::jsonb, ?, ?, ?, ?)",
        stored.getId(),
        stored.getRaw(),
        stored.getClean(),
        stored.getContentHash(),
        stored.getSourceUpdatedAt() == null
            ? null
            : java.sql.Timestamp.from(stored.getSourceUpdatedAt()),
        java.sql.Timestamp.from(now),
        importId);
  }

  private IngestOutcome ingestNew(
      SourceRecord record,
      StandardizedRecord clean,
      MatchRecord features,
      String raw,
      String hash,
      List<String> keys,
      Instant now,
      UUID importId,
      List<String> warnings) {
    Blocks blocks = blocks(keys);
    // Decide on what is committed, then lock only the members the record joins or links. Locking
    // every candidate first (up to max-candidates rows, each with its golden record) took a good
    // part of the database's time on big imports and made ingests in a common name's block wait on
    // each other. A member another ingest changed in between is seen under its lock: then decide
    // again with every candidate locked, as before.
    Candidates found = candidates(candidateMembers(blocks.followed()));
    MemberDecision decision = decide(features, found, blocks);
    List<UUID> involved = decision.merges() ? involved(decision) : List.of();
    List<MemberEntity> locked = involved.isEmpty() ? List.of() : members.lockAll(involved);
    if (!involved.isEmpty() && !found.unchanged(locked, recordIdsByMember(involved))) {
      List<UUID> candidateIds = candidateMembers(blocks.followed());
      locked = members.lockAll(candidateIds);
      found = candidates(candidateIds);
      decision = decide(features, found, blocks);
    }
    SourceRecordEntity entity =
        new SourceRecordEntity(record.source(), record.sourceRecordId(), now);
    entity.setContent(
        raw, RecordJson.write(clean), hash, record.sourceUpdatedAt(), Set.copyOf(keys), now);
    entity.setImportId(importId);
    String evidence = RecordJson.write(decision);
    IngestOutcome outcome;
    if (decision.merges()) {
      MemberChange change =
          new MemberChange(
              GoldenChange.UPDATED,
              record.source()
                  + ":"
                  + record.sourceRecordId()
                  + (decision.absorbed().isEmpty()
                      ? " joined / 源记录并入"
                      : " joined and linked " + decision.absorbed() + " / 源记录并入并合并会员"),
              importId,
              record.source());
      MemberEntity survivor = mergeMembers(decision, locked, now, change);
      entity.linkTo(survivor.getId(), evidence);
      entityManager.persist(entity);
      merges.resurvive(survivor, now, change);
      outcome =
          new IngestOutcome(
              IngestOutcome.Kind.MERGED,
              survivor.getId(),
              null,
              List.of(decision.reason()),
              warnings);
    } else {
      MemberEntity created =
          merges.create(
              List.of(clean),
              now,
              new MemberChange(
                  GoldenChange.CREATED,
                  record.source() + ":" + record.sourceRecordId() + " started a new member / 新建会员",
                  importId,
                  record.source()));
      entity.linkTo(created.getId(), evidence);
      entityManager.persist(entity);
      outcome =
          new IngestOutcome(
              IngestOutcome.Kind.CREATED,
              created.getId(),
              null,
              List.of(decision.reason()),
              warnings);
    }
    entityManager.flush();
    reviews.open(entity.getId(), outcome.memberId(), decision, now);
    // the resulting member first, then the members merged into it
    Set<UUID> concerned = new java.util.LinkedHashSet<>();
    concerned.add(outcome.memberId());
    if (decision.merges()) {
      concerned.add(decision.memberId());
      concerned.addAll(decision.absorbed());
    }
    mergeLog.append(
        decision.merges() ? MergeAction.MERGE : MergeAction.NEW_MEMBER,
        List.copyOf(concerned),
        List.of(record.source() + ":" + record.sourceRecordId()),
        MATCHER,
        evidence,
        now);
    return outcome;
  }

  /**
   * Candidate members as committed when read: the live ones, each with its stored records (their
   * ids, to tell later whether the member changed).
   */
  private record Candidates(List<CandidateMember> members, Map<UUID, List<Long>> recordIds) {

    /** Whether the locked members are still live and hold the records the decision saw. */
    boolean unchanged(List<MemberEntity> locked, Map<UUID, List<Long>> nowHeld) {
      for (MemberEntity m : locked) {
        if (m.getMergedInto() != null
            || !recordIds
                .getOrDefault(m.getId(), List.of())
                .equals(nowHeld.getOrDefault(m.getId(), List.of()))) {
          return false;
        }
      }
      return true;
    }
  }

  private Candidates candidates(List<UUID> candidateIds) {
    if (candidateIds.isEmpty()) {
      return new Candidates(List.of(), Map.of());
    }
    Map<UUID, List<Long>> recordIds = new HashMap<>();
    Map<UUID, List<MatchRecord>> byMember = recordsByMember(candidateIds, recordIds);
    List<CandidateMember> live = new ArrayList<>();
    queryByArray(
        "select id, created_at from member where id = any(?) and merged_into is null order by id",
        "uuid",
        candidateIds,
        rs -> {
          UUID id = rs.getObject(1, UUID.class);
          List<MatchRecord> stored = byMember.getOrDefault(id, List.of());
          live.add(new CandidateMember(id, rs.getTimestamp(2).toInstant(), stored));
        });
    return new Candidates(live, recordIds);
  }

  private MemberDecision decide(MatchRecord features, Candidates found, Blocks blocks) {
    Set<List<UUID>> separated =
        separations.among(found.members().stream().map(CandidateMember::id).toList());
    return engine
        .matcher()
        .decide(
            features,
            found.members(),
            Set.of(),
            blocks.skipped(),
            (a, b) -> separated.contains(MemberSeparations.pair(a, b)));
  }

  /** The member a decision joins and those it links, in id order (the order locks are taken in). */
  private static List<UUID> involved(MemberDecision decision) {
    java.util.TreeSet<UUID> ids = new java.util.TreeSet<>(decision.absorbed());
    ids.add(decision.memberId());
    return List.copyOf(ids);
  }

  /** The ids of the records the members hold now, in id order. */
  private Map<UUID, List<Long>> recordIdsByMember(List<UUID> memberIds) {
    Map<UUID, List<Long>> out = new HashMap<>();
    for (OwnedVersion v : storedVersions(memberIds)) {
      out.computeIfAbsent(v.member(), k -> new ArrayList<>()).add(v.version().id());
    }
    return out;
  }

  /** The records the members hold, with their row versions, in record id order. */
  private List<OwnedVersion> storedVersions(List<UUID> memberIds) {
    List<OwnedVersion> out = new ArrayList<>();
    // xmin changes with every update of the row, whichever code path writes it
    queryByArray(
        "select member_id, id, xmin::text from source_record where member_id = any(?) order by id",
        "uuid",
        memberIds,
        rs ->
            out.add(
                new OwnedVersion(
                    rs.getObject(1, UUID.class),
                    new StoredVersion(rs.getLong(2), rs.getString(3)))));
    return out;
  }

  /** A query whose one parameter is an SQL array of {@code elementType}. */
  private void queryByArray(
      String sql,
      String elementType,
      java.util.Collection<?> values,
      org.springframework.jdbc.core.RowCallbackHandler rows) {
    jdbc.query(
        con -> {
          var ps = con.prepareStatement(sql);
          ps.setArray(1, con.createArrayOf(elementType, values.toArray()));
          return ps;
        },
        rows);
  }

  /** The member the record joins, with the members it bridged merged into the oldest. */
  private MemberEntity mergeMembers(
      MemberDecision decision, List<MemberEntity> locked, Instant now, MemberChange change) {
    List<UUID> involved = new ArrayList<>();
    involved.add(decision.memberId());
    involved.addAll(decision.absorbed());
    return merges.merge(
        locked.stream().filter(m -> involved.contains(m.getId())).toList(), now, change);
  }

  /** The record's blocking keys split into those to follow and those whose block is too large. */
  private record Blocks(List<String> followed, List<String> skipped) {}

  private Blocks blocks(List<String> keys) {
    if (keys.isEmpty()) {
      return new Blocks(List.of(), List.of());
    }
    int cap = engine.settings().blockCap();
    List<String> followed = new ArrayList<>(keys);
    List<String> skipped = new ArrayList<>();
    jdbc.query(
        "select key, count(*) from match_key where key = any(?) group by key having count(*) > ?",
        rs -> {
          String key = rs.getString(1);
          followed.remove(key);
          skipped.add(key + " (" + rs.getLong(2) + " records)");
        },
        keys.toArray(String[]::new),
        cap);
    return new Blocks(followed, skipped);
  }

  /** Live members holding records that share a followed key, those sharing most keys first. */
  private List<UUID> candidateMembers(List<String> keys) {
    if (keys.isEmpty()) {
      return List.of();
    }
    return jdbc.query(
        """
        select coalesce(m.merged_into, m.id) as member_id, count(*) as shared
          from match_key k
          join source_record r on r.id = k.source_record_pk
          join member m on m.id = r.member_id
         where k.key = any(?)
         group by 1
         order by shared desc, member_id
         limit ?""",
        (rs, i) -> rs.getObject(1, UUID.class),
        keys.toArray(String[]::new),
        engine.settings().maxCandidates());
  }

  /** The record's stored keys ({@link MatchKeys}), sorted. */
  public static List<String> keysOf(StandardizedRecord clean) {
    return MatchKeys.of(MatchRecords.of(clean));
  }

  /**
   * The stored records of the candidates as matching reads them (clean form and match features), by
   * member, in record order; {@code recordIds} receives their ids. A stored record in a common
   * name's block is a candidate for one incoming record after another, so its parsed form and
   * features are kept, keyed by its row version: first only ids and versions are read, then the
   * clean text of the records not kept. (Keying the kept values by the whole clean record cost a
   * fifth of the hub's time in hashing at 300,000 members.)
   */
  private Map<UUID, List<MatchRecord>> recordsByMember(
      List<UUID> memberIds, Map<UUID, List<Long>> recordIds) {
    Map<UUID, List<MatchRecord>> out = new LinkedHashMap<>();
    if (memberIds.isEmpty()) {
      return out;
    }
    List<OwnedVersion> versions = storedVersions(memberIds);
    Map<Long, MatchRecord> known = new HashMap<>();
    List<Long> missing = new ArrayList<>();
    for (OwnedVersion owned : versions) {
      MatchRecord kept = storedRecords.peek(owned.version());
      if (kept != null) {
        known.put(owned.version().id(), kept);
      } else {
        missing.add(owned.version().id());
      }
    }
    if (!missing.isEmpty()) {
      queryByArray(
          "select id, xmin::text, clean::text from source_record where id = any(?)",
          "bigint",
          missing,
          rs -> {
            MatchRecord parsed = MatchRecords.of(RecordJson.clean(rs.getString(3)));
            storedRecords.put(new StoredVersion(rs.getLong(1), rs.getString(2)), parsed);
            known.put(rs.getLong(1), parsed);
          });
    }
    for (OwnedVersion owned : versions) {
      MatchRecord stored = known.get(owned.version().id());
      if (stored == null) {
        continue; // moved to another member or removed between the two reads
      }
      out.computeIfAbsent(owned.member(), k -> new ArrayList<>()).add(stored);
      recordIds.computeIfAbsent(owned.member(), k -> new ArrayList<>()).add(owned.version().id());
    }
    return out;
  }

  /** A stored record's row and version. */
  private record StoredVersion(long id, String xmin) {}

  /** A stored record's version and the member holding it. */
  private record OwnedVersion(UUID member, StoredVersion version) {}

  /**
   * Stored records last read, at most 20,000 (about 60 MB): enough for the blocks of the common
   * names that recur in a chain's files.
   */
  private final RecentValues<StoredVersion, MatchRecord> storedRecords = new RecentValues<>(20_000);

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
    // one round trip; the function locks in ascending order (V4__lock_keys_function.sql)
    jdbc.queryForObject(
        "select onemember_lock_keys(?)::text", String.class, (Object) ids.toArray(Long[]::new));
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
        r.tags(),
        r.purchases(),
        r.servedBy());
  }
}
