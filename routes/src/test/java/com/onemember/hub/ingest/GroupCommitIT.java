package com.onemember.hub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.hub.imports.InboundHeaders;
import com.onemember.hub.imports.InboundQueue;
import com.onemember.hub.support.HubIT;
import com.onemember.mdm.store.RecordJson;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

/**
 * Records that arrive one message each on {@code onemember.inbound}, as connectors queue them, are
 * loaded in groups by the ingest's consumers: a burst of new records, some of the same people from
 * two systems, and then a burst of changes to them all end up as one record at a time would; a
 * record nothing identifies is refused into its connector's list, and a NUL byte the database
 * cannot store is dropped with a warning while the customer is kept.
 */
class GroupCommitIT extends HubIT {

  /** The stores' POS connector; its records' source is its id. */
  private static final String POS = "pos-groupcommit-it";

  /** The mini-program connector, where some of the same customers signed up. */
  private static final String WECHAT = "wechat-groupcommit-it";

  /** Another store's POS, for the burst with a refused record and one with a NUL byte. */
  private static final String POS_POISON = "pos-groupcommit-poison-it";

  private static final String DEAD_LETTERS = "DLQ.onemember.inbound";

  private static final Instant WRITTEN = Instant.parse("2026-11-20T02:00:00Z");

  private static final String[] SURNAMES = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗"
  };

  /** First characters of given names, no two read alike in pinyin. */
  private static final String[] GIVEN_FIRST = {"子", "雨", "浩", "欣", "文", "诗", "俊", "晓", "明", "思"};

  /** Second characters of given names, no two read alike in pinyin. */
  private static final String[] GIVEN_SECOND = {
    "桐", "然", "涵", "怡", "轩", "航", "琪", "杰", "燕", "琳", "博", "凯", "瑶", "晨", "阳", "磊", "婷", "鹏", "雪",
    "峰"
  };

  /** People in the POS. */
  private static final int PEOPLE = 170;

  /** The first {@code PAIRS} of them also signed up in the mini-program. */
  private static final int PAIRS = 30;

  @Autowired InboundQueue inbound;
  @Autowired JdbcTemplate jdbc;
  @Autowired ConnectionFactory connectionFactory;

  @Test
  void aBurstOfNewRecordsAndThenOfChangesIsHeldAsOneRecordAtATimeWouldBe() {
    List<SourceRecord> pos = new ArrayList<>();
    List<SourceRecord> wechat = new ArrayList<>();
    for (int i = 0; i < PEOPLE; i++) {
      pos.add(posCard(i, null, WRITTEN));
      if (i < PAIRS) {
        wechat.add(miniProgramUser(i));
      }
    }
    assertThat(pos.size() + wechat.size()).isEqualTo(200);

    inbound.sendRecords(POS, changes(pos));
    inbound.sendRecords(WECHAT, changes(wechat));
    awaitHeld(pos, wechat);

    // every record is held as it was sent
    for (SourceRecord r : concat(pos, wechat)) {
      assertThat(contentHash(r)).as(name(r)).isEqualTo(hash(r));
    }
    Map<String, UUID> memberOf = memberOfEach();
    for (int i = 0; i < PAIRS; i++) {
      assertThat(memberOf.get(WECHAT + ":" + wechatId(i)))
          .as("%s in both systems", fullName(i))
          .isEqualTo(memberOf.get(POS + ":" + posId(i)));
    }
    // and no one else was merged
    assertThat(memberOf.values().stream().distinct().count()).isEqualTo(PEOPLE);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from member where id = any(?) and merged_into is null",
                Long.class,
                (Object) memberOf.values().stream().distinct().toArray(UUID[]::new)))
        .isEqualTo(PEOPLE);
    assertThat(rejections(POS)).isEmpty();
    assertThat(rejections(WECHAT)).isEmpty();

    // a burst of changes: 25 people in both systems and 25 only in the POS leave an e-mail
    List<SourceRecord> changed = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      changed.add(posCard(i, email(i), WRITTEN.plus(Duration.ofDays(1))));
      changed.add(posCard(100 + i, email(100 + i), WRITTEN.plus(Duration.ofDays(1))));
    }
    Map<String, Long> versionBefore = new HashMap<>();
    for (SourceRecord r : changed) {
      versionBefore.put(
          name(r),
          jdbc.queryForObject(
              "select version from member where id = ?", Long.class, memberOf.get(name(r))));
    }
    inbound.sendRecords(POS, changes(changed));
    Awaitility.await("the 50 changes")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> heldAsSent(changed) == changed.size());

    for (int k = 0; k < changed.size(); k++) {
      SourceRecord r = changed.get(k);
      int person = k % 2 == 0 ? k / 2 : 100 + k / 2;
      String email = email(person);
      UUID member = memberOf.get(name(r));
      assertThat(contentHash(r)).as(name(r)).isEqualTo(hash(r));
      assertThat(
              jdbc.queryForObject(
                  "select raw::text from source_record where source = ? and source_record_id = ?",
                  String.class,
                  POS,
                  r.sourceRecordId()))
          .as(name(r))
          .contains(email);
      // its content before the change is kept as a revision
      assertThat(
              jdbc.queryForList(
                  "select v.content_hash from source_record_revision v join source_record s"
                      + " on s.id = v.source_record_pk"
                      + " where s.source = ? and s.source_record_id = ?",
                  String.class,
                  POS,
                  r.sourceRecordId()))
          .as(name(r))
          .containsExactly(hash(posCard(person, null, WRITTEN)));
      // the record stayed with its member, which told consumers of the change
      assertThat(memberOf(r)).as(name(r)).isEqualTo(member);
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from golden_event where member_id = ? and type = 'UPDATED'"
                      + " and version > ?",
                  Long.class,
                  member,
                  versionBefore.get(name(r))))
          .as(name(r))
          .isPositive();
      assertThat(
              jdbc.queryForObject(
                  "select golden::text from member where id = ?", String.class, member))
          .as(name(r))
          .contains(email);
    }
    // a record no change touched has no revision
    SourceRecord untouched = pos.get(150);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from source_record_revision v join source_record s"
                    + " on s.id = v.source_record_pk where s.source = ? and s.source_record_id = ?",
                Long.class,
                POS,
                untouched.sourceRecordId()))
        .isZero();
  }

  @Test
  void aRecordNothingIdentifiesIsRefusedAndANulByteIsDroppedWithAWarning() {
    List<SourceRecord> good = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      good.add(
          record(
              POS_POISON,
              "GCP-%02d".formatted(i + 1),
              SURNAMES[i] + "嘉" + GIVEN_SECOND[i],
              otherStorePhone(i),
              LocalDate.of(1985, 1, 1).plusDays(47L * i).toString(),
              null,
              WRITTEN,
              Map.of()));
    }
    // a walk-in customer the cashier took no details of
    SourceRecord walkIn =
        new SourceRecord(
            POS_POISON,
            "GCP-WALKIN",
            WRITTEN,
            null,
            "散客",
            null,
            null,
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            null,
            Map.of("会员卡号", "GCP-WALKIN", "备注", "散客未留信息"));
    // a till export with a NUL byte in a note: PostgreSQL keeps no NUL in text or jsonb, so the
    // byte is dropped with a warning and the customer kept (it used to fail six times, then park)
    SourceRecord nul =
        record(
            POS_POISON,
            "GCP-POISON",
            "许文博",
            otherStorePhone(20),
            "1976-10-09",
            null,
            WRITTEN,
            Map.of("备注", "收银机导出\0"));
    List<SourceRecord> burst = new ArrayList<>(good);
    burst.add(10, walkIn);
    burst.add(5, nul);

    inbound.sendRecords(POS_POISON, changes(burst));

    Awaitility.await("the good records, the one with a NUL byte, and the refusal")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () ->
                heldAsSent(good) == good.size() && held(nul) && rejections(POS_POISON).size() == 2);

    for (SourceRecord r : good) {
      assertThat(contentHash(r)).as(name(r)).isEqualTo(hash(r));
    }
    assertThat(held(walkIn)).isFalse();
    assertThat(
            jdbc.queryForObject(
                "select raw->'raw'->>'备注' from source_record where source = ? and source_record_id = ?",
                String.class,
                POS_POISON,
                "GCP-POISON"))
        .isEqualTo("收银机导出");
    assertThat(deadLetterHolding(nul.sourceRecordId())).isFalse();
    // the refusal and the warning are kept where the connector's IT staff look, in both languages
    Map<String, Map<String, Object>> byRecord = new java.util.HashMap<>();
    rejections(POS_POISON).forEach(r -> byRecord.put((String) r.get("source_record_id"), r));
    Map<String, Object> refused = byRecord.get("GCP-WALKIN");
    assertThat(refused.get("kept")).isEqualTo(false);
    assertThat((String) refused.get("reason")).contains("既没有姓名").contains("no name and no phone");
    assertThat((String) refused.get("raw")).contains("散客未留信息");
    Map<String, Object> warned = byRecord.get("GCP-POISON");
    assertThat(warned.get("kept")).isEqualTo(true);
    assertThat((String) warned.get("reason")).contains("空字符").contains("NUL").contains("raw.备注");
  }

  @Test
  void aMessageNoRecordCanBeReadFromEndsOnItsConnectorsListAndInTheDeadLetterQueue() {
    String connector = "pos-groupcommit-unreadable-it";
    // a connector bug, or a hand-made message: cut off in the middle of its JSON
    String body = "{\"source\":\"" + connector + "\",\"sourceRecordId\":\"GCU-1\",\"name\":\"赵";
    new JmsTemplate(connectionFactory)
        .send(
            "onemember.inbound",
            session -> {
              TextMessage m = session.createTextMessage(body);
              m.setStringProperty(InboundHeaders.CONNECTOR, connector);
              return m;
            });

    Awaitility.await("the failure on the connector's list")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> !rejections(connector).isEmpty());

    Map<String, Object> failed = rejections(connector).get(0);
    assertThat(failed.get("kept")).isEqualTo(false);
    assertThat((String) failed.get("reason"))
        .contains("处理失败")
        .contains("Processing failed")
        .contains(DEAD_LETTERS);
    assertThat(deadLetterHolding("GCU-1")).isTrue();
  }

  private static SourceRecord posCard(int i, String email, Instant at) {
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("门店", "杭州湖滨店");
    return record(POS, posId(i), fullName(i), phone(i), birthday(i), email, at, extra);
  }

  /** The same person in the mini-program, the number spaced as the customer typed it. */
  private static SourceRecord miniProgramUser(int i) {
    String p = phone(i);
    String typed = p.substring(0, 3) + " " + p.substring(3, 7) + " " + p.substring(7);
    return record(WECHAT, wechatId(i), fullName(i), typed, birthday(i), null, WRITTEN, Map.of());
  }

  private static SourceRecord record(
      String source,
      String id,
      String name,
      String mobile,
      String birthday,
      String email,
      Instant at,
      Map<String, String> extra) {
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("编号", id);
    raw.put("姓名", name);
    raw.put("手机号", mobile);
    raw.put("生日", birthday);
    if (email != null) {
      raw.put("邮箱", email);
    }
    raw.putAll(extra);
    List<Identifier> identifiers = new ArrayList<>();
    identifiers.add(Identifier.of(IdentifierType.MOBILE, mobile));
    if (email != null) {
      identifiers.add(Identifier.of(IdentifierType.EMAIL, email));
    }
    return new SourceRecord(
        source,
        id,
        at,
        name,
        null,
        null,
        birthday,
        identifiers,
        List.of(),
        List.of(),
        List.of(),
        null,
        raw);
  }

  /**
   * Person {@code i}'s name: every person has a given name of their own, so that only the pairs are
   * the same person (people with one given name, a birthday on the same day of the year and numbers
   * a digit apart may well be one person who mistyped, and the matcher says so).
   */
  private static String fullName(int i) {
    return SURNAMES[(i * 7) % SURNAMES.length]
        + GIVEN_FIRST[i % GIVEN_FIRST.length]
        + GIVEN_SECOND[i / GIVEN_FIRST.length];
  }

  /** Person {@code i}'s mobile: any two differ in at least three digits (no typo of another). */
  private static String phone(int i) {
    return "18857%06d".formatted((i * 104_723L + 104_729) % 1_000_000);
  }

  /** The numbers of the other store's customers, as far from each other and from those above. */
  private static String otherStorePhone(int i) {
    return "18858%06d".formatted((i * 104_723L + 271_828) % 1_000_000);
  }

  private static String birthday(int i) {
    return LocalDate.of(1960, 1, 1).plusDays(53L * i).toString();
  }

  private static String email(int i) {
    return "huiyuan%03d@163.com".formatted(i);
  }

  private static String posId(int i) {
    return "GC-%03d".formatted(i);
  }

  private static String wechatId(int i) {
    return "mp-%03d".formatted(i);
  }

  private static String name(SourceRecord r) {
    return r.source() + ":" + r.sourceRecordId();
  }

  private static String hash(SourceRecord r) {
    return RecordJson.sha256(RecordJson.write(r));
  }

  /** Each record as a connector queues it: its JSON, keyed by its id. */
  private static List<InboundQueue.RecordChange> changes(List<SourceRecord> records) {
    return records.stream()
        .map(r -> new InboundQueue.RecordChange(r.sourceRecordId(), RecordJson.write(r)))
        .toList();
  }

  private static List<SourceRecord> concat(List<SourceRecord> a, List<SourceRecord> b) {
    List<SourceRecord> all = new ArrayList<>(a);
    all.addAll(b);
    return Collections.unmodifiableList(all);
  }

  private void awaitHeld(List<SourceRecord> pos, List<SourceRecord> wechat) {
    Awaitility.await("the 200 new records")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> heldAsSent(pos) + heldAsSent(wechat) == pos.size() + wechat.size());
  }

  /** How many of {@code records} the hub holds with exactly the content sent. */
  private long heldAsSent(List<SourceRecord> records) {
    return jdbc.queryForObject(
        "select count(*) from source_record s join unnest(?::text[], ?::text[], ?::text[])"
            + " as u(source, id, h) on s.source = u.source and s.source_record_id = u.id"
            + " and s.content_hash = u.h",
        Long.class,
        records.stream().map(SourceRecord::source).toArray(String[]::new),
        records.stream().map(SourceRecord::sourceRecordId).toArray(String[]::new),
        records.stream().map(GroupCommitIT::hash).toArray(String[]::new));
  }

  private boolean held(SourceRecord r) {
    return jdbc.queryForObject(
            "select count(*) from source_record where source = ? and source_record_id = ?",
            Long.class,
            r.source(),
            r.sourceRecordId())
        > 0;
  }

  private String contentHash(SourceRecord r) {
    return jdbc.queryForObject(
        "select content_hash from source_record where source = ? and source_record_id = ?",
        String.class,
        r.source(),
        r.sourceRecordId());
  }

  private UUID memberOf(SourceRecord r) {
    return jdbc.queryForObject(
        "select member_id from source_record where source = ? and source_record_id = ?",
        UUID.class,
        r.source(),
        r.sourceRecordId());
  }

  /** The member of every record of the two connectors' people, by source and id. */
  private Map<String, UUID> memberOfEach() {
    Map<String, UUID> out = new HashMap<>();
    jdbc.query(
        "select source, source_record_id, member_id from source_record"
            + " where (source = ? and source_record_id like 'GC-%')"
            + " or (source = ? and source_record_id like 'mp-%')",
        rs -> {
          out.put(rs.getString(1) + ":" + rs.getString(2), rs.getObject(3, UUID.class));
        },
        POS,
        WECHAT);
    return out;
  }

  /** The connector's rejections and records kept with warnings, as its list shows them. */
  private List<Map<String, Object>> rejections(String connector) {
    return jdbc.queryForList(
        "select source_record_id, reason, kept, raw::text as raw from connector_rejection"
            + " where connector_id = ? order by id",
        connector);
  }

  /** Whether the ingest's dead-letter queue holds the message of record {@code id}. */
  private boolean deadLetterHolding(String id) {
    Boolean found =
        new JmsTemplate(connectionFactory)
            .browse(
                DEAD_LETTERS,
                (session, browser) -> {
                  var messages = browser.getEnumeration();
                  while (messages.hasMoreElements()) {
                    if (messages.nextElement() instanceof TextMessage text
                        && text.getText().contains("\"" + id + "\"")) {
                      return true;
                    }
                  }
                  return false;
                });
    return Boolean.TRUE.equals(found);
  }
}
