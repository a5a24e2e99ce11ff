package com.onemember.hub.matching;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.Lineage;
import com.onemember.canonical.Member;
import com.onemember.canonical.SourceRecord;
import com.onemember.canonical.Tag;
import com.onemember.hub.support.HubIT;
import com.onemember.mdm.ingest.IngestOutcome;
import com.onemember.mdm.ingest.bulk.BulkLoad;
import com.onemember.mdm.ingest.bulk.SourceRecordIngest;
import com.onemember.mdm.stewardship.Erasures;
import com.onemember.mdm.store.RecordJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A bulk chunk that brings new content for records the hub already holds: the records keep their
 * old content as a revision and take the new content and keys, their member gets one new version
 * and one event for the whole chunk and keeps the tags a person gave it, a record of a member whose
 * personal data was erased is refused, and the golden record ends as the single ingest leaves it.
 */
class ChangedRecordsIT extends HubIT {

  private static final String SOURCE = "pos-store-changed-it";

  /** The same kind of source as {@link #SOURCE}, equally trusted, fed one record at a time. */
  private static final String SINGLE_SOURCE = "pos-store-changed-single-it";

  /** When the stores' POS first wrote the cards; later changes carry later times. */
  private static final Instant WRITTEN = Instant.parse("2026-11-02T01:30:00Z");

  @Autowired SourceRecordIngest single;
  @Autowired BulkLoad bulk;
  @Autowired Erasures erasures;
  @Autowired JdbcTemplate jdbc;
  @Autowired PlatformTransactionManager transactions;

  @Test
  void aChunkChangingTwoRecordsOfAMemberGivesItOneVersionAndKeepsItsManualTag() {
    Card phoneCard =
        aCard(SOURCE, "CR-1").named("陈思远").mobile("13906610001").born("1990-03-15").at(WRITTEN);
    Card secondCard =
        aCard(SOURCE, "CR-2").named("陈思远").mobile("139-0661-0001").born("1990.3.15").at(WRITTEN);
    UUID siyuan = single.ingest(phoneCard.record()).memberId();
    assertThat(single.ingest(secondCard.record()).memberId()).isEqualTo(siyuan);
    jdbc.update(
        "insert into member_tag (member_id, name, note, added_by, added_at)"
            + " values (?, '金卡会员', '店长确认 / confirmed by the manager', 'steward:林芳', now())",
        siyuan);
    long versionBefore = version(siyuan);
    long phoneCardPk = pk(SOURCE, "CR-1");
    long secondCardPk = pk(SOURCE, "CR-2");

    // he changed his number at one till, and at another had his name corrected and gave an e-mail
    Card newPhone = phoneCard.mobile("13906610009").at(WRITTEN.plus(Duration.ofHours(1)));
    Card corrected =
        secondCard
            .named("陈思源")
            .email("chensiyuan0315@163.com")
            .at(WRITTEN.plus(Duration.ofHours(2)));
    Card stranger =
        aCard(SOURCE, "CR-3").named("魏子轩").mobile("13906610031").born("1979-11-02").at(WRITTEN);
    List<IngestOutcome> outcomes =
        load(List.of(newPhone.record(), corrected.record(), stranger.record()));

    assertThat(outcomes)
        .extracting(IngestOutcome::kind)
        .containsExactly(
            IngestOutcome.Kind.UPDATED, IngestOutcome.Kind.UPDATED, IngestOutcome.Kind.CREATED);
    assertThat(outcomes.get(0).memberId()).isEqualTo(siyuan);
    assertThat(outcomes.get(1).memberId()).isEqualTo(siyuan);
    assertThat(outcomes.get(2).memberId()).isNotEqualTo(siyuan);

    // one new version and one event for both changes, naming both
    assertThat(version(siyuan)).isEqualTo(versionBefore + 1);
    assertThat(
            jdbc.queryForList(
                "select cause from member_version where member_id = ? and version > ?",
                String.class,
                siyuan,
                versionBefore))
        .singleElement()
        .satisfies(cause -> assertNamesBothChanges(cause));
    List<Map<String, Object>> events =
        jdbc.queryForList(
            "select type, version, payload->>'cause' as cause from golden_event"
                + " where member_id = ? and version > ?",
            siyuan,
            versionBefore);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("type")).isEqualTo("UPDATED");
    assertThat(((Number) events.get(0).get("version")).longValue()).isEqualTo(versionBefore + 1);
    assertNamesBothChanges((String) events.get(0).get("cause"));

    // the records hold the new content; what they held before is kept as a revision
    assertThat(contentHash(phoneCardPk)).isEqualTo(newPhone.hash());
    assertThat(contentHash(secondCardPk)).isEqualTo(corrected.hash());
    assertThat(revisions(phoneCardPk)).singleElement().isEqualTo(phoneCard.hash());
    assertThat(revisions(secondCardPk)).singleElement().isEqualTo(secondCard.hash());
    assertThat(
            jdbc.queryForObject(
                "select raw::text from source_record_revision where source_record_pk = ?",
                String.class,
                phoneCardPk))
        .contains("13906610001")
        .doesNotContain("13906610009");
    assertThat(
            jdbc.queryForObject(
                "select raw::text from source_record_revision where source_record_pk = ?",
                String.class,
                secondCardPk))
        .contains("陈思远")
        .doesNotContain("chensiyuan0315");

    // the changed record is found by its new number only
    assertThat(keys(phoneCardPk))
        .contains("MOBILE:13906610009")
        .doesNotContain("MOBILE:13906610001");
    assertThat(keys(secondCardPk)).contains("MOBILE:13906610001", "EMAIL:chensiyuan0315@163.com");

    // the golden record takes the new values and keeps the tag a person gave
    Member golden = golden(siyuan);
    assertThat(golden.version()).isEqualTo(versionBefore + 1);
    assertThat(golden.name()).isEqualTo("陈思源");
    assertThat(golden.identifiers())
        .extracting(Identifier::type, Identifier::value)
        .contains(
            org.assertj.core.groups.Tuple.tuple(IdentifierType.MOBILE, "13906610009"),
            org.assertj.core.groups.Tuple.tuple(IdentifierType.EMAIL, "chensiyuan0315@163.com"));
    assertThat(golden.tags()).contains(new Tag("金卡会员", "manual"));

    // a later record with the new number and no birthday joins him
    IngestOutcome later =
        single.ingest(
            aCard(SOURCE, "CR-4")
                .named("陈思源")
                .mobile("13906610009")
                .at(WRITTEN.plus(Duration.ofHours(3)))
                .record());
    assertThat(later.kind()).isEqualTo(IngestOutcome.Kind.MERGED);
    assertThat(later.memberId()).isEqualTo(siyuan);
  }

  @Test
  void aChangeToARecordOfAnErasedMemberIsRefusedAndTheRestOfTheChunkIsWritten() {
    Card xuemei =
        aCard(SOURCE, "ER-1").named("韩雪梅").mobile("13906610201").born("1985-02-11").at(WRITTEN);
    UUID erased = single.ingest(xuemei.record()).memberId();
    erasures.erase(erased, "steward:林芳", "本人申请删除，工单 2026-1107-03 / customer request 2026-1107-03");
    long erasedPk = pk(SOURCE, "ER-1");
    String tombstone = contentHash(erasedPk);
    long version = version(erased);
    long events =
        jdbc.queryForObject(
            "select count(*) from golden_event where member_id = ?", Long.class, erased);

    // her old card comes back from a till that never heard of the erasure, with a new number
    Card resent = xuemei.mobile("13906610209").at(WRITTEN.plus(Duration.ofDays(3)));
    Card newcomer =
        aCard(SOURCE, "ER-2").named("邓嘉怡").mobile("13906610211").born("1993-08-30").at(WRITTEN);
    List<IngestOutcome> outcomes = load(List.of(resent.record(), newcomer.record()));

    assertThat(outcomes.get(0).kind()).isEqualTo(IngestOutcome.Kind.REJECTED);
    assertThat(outcomes.get(0).error()).isEqualTo(IngestOutcome.ERASED_REFUSAL);
    assertThat(outcomes.get(0).memberId()).isNull();
    assertThat(outcomes.get(1).kind()).isEqualTo(IngestOutcome.Kind.CREATED);
    assertThat(
            jdbc.queryForObject(
                "select member_id from source_record where source = ? and source_record_id = ?",
                UUID.class,
                SOURCE,
                "ER-2"))
        .isEqualTo(outcomes.get(1).memberId());
    // nothing of the refused content was kept, and the erased member did not change
    assertThat(contentHash(erasedPk)).isEqualTo(tombstone);
    assertThat(revisions(erasedPk)).isEmpty();
    assertThat(keys(erasedPk)).isEmpty();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from match_key where key = 'MOBILE:13906610209'", Long.class))
        .isZero();
    assertThat(version(erased)).isEqualTo(version);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from golden_event where member_id = ?", Long.class, erased))
        .isEqualTo(events);
    assertThat(
            jdbc.queryForObject(
                "select erased_at is not null from member where id = ?", Boolean.class, erased))
        .isTrue();
  }

  @Test
  void aChunkOfChangesLeavesTheGoldenRecordTheSingleIngestLeaves() {
    Person viaChunk =
        new Person(
            SOURCE,
            "CS",
            "林晓峰",
            "林晓锋",
            "13906610301",
            "13906610309",
            "linxiaofeng0722@163.com",
            "1987-07-22");
    Person viaSingle =
        new Person(
            SINGLE_SOURCE,
            "CS",
            "宋佳怡",
            "宋嘉怡",
            "13906610401",
            "13906610409",
            "songjiayi0618@163.com",
            "1991-06-18");

    UUID chunked = storeBoth(viaChunk);
    List<IngestOutcome> outcomes =
        load(List.of(viaChunk.phoneChanged().record(), viaChunk.nameCorrected().record()));
    assertThat(outcomes).extracting(IngestOutcome::kind).containsOnly(IngestOutcome.Kind.UPDATED);

    UUID singly = storeBoth(viaSingle);
    assertThat(single.ingest(viaSingle.phoneChanged().record()).kind())
        .isEqualTo(IngestOutcome.Kind.UPDATED);
    assertThat(single.ingest(viaSingle.nameCorrected().record()).kind())
        .isEqualTo(IngestOutcome.Kind.UPDATED);

    GoldenView chunkView = view(golden(chunked), viaChunk);
    GoldenView singleView = view(golden(singly), viaSingle);
    assertThat(chunkView).isEqualTo(singleView);
    assertThat(chunkView.name()).isEqualTo("NEW_NAME");
    assertThat(chunkView.nameRule()).isEqualTo("MOST_RECENT");
    assertThat(chunkView.birthday()).isEqualTo("SAME_BIRTHDAY");
    assertThat(chunkView.identifiers())
        .containsExactlyInAnyOrder("MOBILE:NEW", "MOBILE:OLD", "EMAIL:NEW");
    // the records are found by the same keys either way
    for (String card : List.of("-1", "-2")) {
      assertThat(identityKeys(pk(SOURCE, "CS" + card), viaChunk))
          .as("card CS%s", card)
          .isEqualTo(identityKeys(pk(SINGLE_SOURCE, "CS" + card), viaSingle));
    }
    assertThat(identityKeys(pk(SOURCE, "CS-1"), viaChunk)).containsExactly("MOBILE:NEW");
  }

  /** A person with two cards at one source: the cards as first written. */
  private record Person(
      String source,
      String prefix,
      String oldName,
      String newName,
      String oldPhone,
      String newPhone,
      String email,
      String birthday) {

    Card first() {
      return aCard(source, prefix + "-1")
          .named(oldName)
          .mobile(oldPhone)
          .born(birthday)
          .at(WRITTEN);
    }

    Card second() {
      return aCard(source, prefix + "-2")
          .named(oldName)
          .mobile(oldPhone)
          .born(birthday)
          .at(WRITTEN);
    }

    /** The first card with a new number, an hour later. */
    Card phoneChanged() {
      return first().mobile(newPhone).at(WRITTEN.plus(Duration.ofHours(1)));
    }

    /** The second card with the name corrected and an e-mail, two hours later. */
    Card nameCorrected() {
      return second().named(newName).email(email).at(WRITTEN.plus(Duration.ofHours(2)));
    }

    /** What {@code value} is of this person's data, so that two people's goldens compare. */
    String role(String value) {
      if (value == null) {
        return null;
      }
      if (value.equals(oldName)) {
        return "OLD_NAME";
      }
      if (value.equals(newName)) {
        return "NEW_NAME";
      }
      if (value.equals(oldPhone)) {
        return "OLD";
      }
      if (value.equals(newPhone) || value.equals(email)) {
        return "NEW";
      }
      if (value.equals(birthday)) {
        return "SAME_BIRTHDAY";
      }
      return "OTHER:" + value;
    }
  }

  /** A golden record with the person's values named by their role. */
  private record GoldenView(
      String name, String nameRule, String birthday, List<String> identifiers) {}

  private static GoldenView view(Member golden, Person person) {
    String nameRule =
        golden.lineage().stream()
            .filter(l -> l.attribute().equals("name"))
            .map(Lineage::rule)
            .findFirst()
            .orElse(null);
    List<String> identifiers = new ArrayList<>();
    for (Identifier id : golden.identifiers()) {
      identifiers.add(id.type() + ":" + person.role(id.value()));
    }
    return new GoldenView(
        person.role(golden.name()), nameRule, person.role(golden.birthday()), identifiers);
  }

  /** Stores both cards of {@code person}, one at a time, and returns their member. */
  private UUID storeBoth(Person person) {
    UUID member = single.ingest(person.first().record()).memberId();
    assertThat(single.ingest(person.second().record()).memberId()).isEqualTo(member);
    return member;
  }

  /** The record's phone and e-mail keys, named by their role for {@code person}. */
  private List<String> identityKeys(long pk, Person person) {
    return keys(pk).stream()
        .filter(k -> k.startsWith("MOBILE:") || k.startsWith("EMAIL:"))
        .map(
            k -> {
              int colon = k.indexOf(':');
              return k.substring(0, colon) + ":" + person.role(k.substring(colon + 1));
            })
        .sorted()
        .toList();
  }

  private static void assertNamesBothChanges(String cause) {
    assertThat(cause)
        .startsWith("2 项变更 / changes: ")
        .contains(SOURCE + ":CR-1 changed / 源记录更新")
        .contains(SOURCE + ":CR-2 changed / 源记录更新");
  }

  private List<IngestOutcome> load(List<SourceRecord> records) {
    return new TransactionTemplate(transactions).execute(s -> bulk.load(records, null));
  }

  private long version(UUID member) {
    return jdbc.queryForObject("select version from member where id = ?", Long.class, member);
  }

  private Member golden(UUID member) {
    return RecordJson.member(
        jdbc.queryForObject("select golden::text from member where id = ?", String.class, member));
  }

  private long pk(String source, String id) {
    return jdbc.queryForObject(
        "select id from source_record where source = ? and source_record_id = ?",
        Long.class,
        source,
        id);
  }

  private String contentHash(long pk) {
    return jdbc.queryForObject(
        "select content_hash from source_record where id = ?", String.class, pk);
  }

  /** The content hashes the record's revisions keep, oldest first. */
  private List<String> revisions(long pk) {
    return jdbc.queryForList(
        "select content_hash from source_record_revision where source_record_pk = ? order by id",
        String.class,
        pk);
  }

  private List<String> keys(long pk) {
    return jdbc.queryForList(
        "select key from match_key where source_record_pk = ? order by key", String.class, pk);
  }

  private static Card aCard(String source, String id) {
    return new Card(source, id, null, null, null, null, null);
  }

  /** A store's member card as its POS sends it; each {@code with} returns a changed copy. */
  private record Card(
      String source,
      String id,
      String name,
      String mobile,
      String birthday,
      String email,
      Instant changedAt) {

    Card named(String name) {
      return new Card(source, id, name, mobile, birthday, email, changedAt);
    }

    Card mobile(String mobile) {
      return new Card(source, id, name, mobile, birthday, email, changedAt);
    }

    Card born(String birthday) {
      return new Card(source, id, name, mobile, birthday, email, changedAt);
    }

    Card email(String email) {
      return new Card(source, id, name, mobile, birthday, email, changedAt);
    }

    Card at(Instant changedAt) {
      return new Card(source, id, name, mobile, birthday, email, changedAt);
    }

    SourceRecord record() {
      Map<String, String> raw = new LinkedHashMap<>();
      raw.put("会员卡号", id);
      raw.put("姓名", name);
      if (mobile != null) {
        raw.put("手机号", mobile);
      }
      if (birthday != null) {
        raw.put("生日", birthday);
      }
      if (email != null) {
        raw.put("邮箱", email);
      }
      List<Identifier> identifiers = new ArrayList<>();
      if (mobile != null) {
        identifiers.add(Identifier.of(IdentifierType.MOBILE, mobile));
      }
      if (email != null) {
        identifiers.add(Identifier.of(IdentifierType.EMAIL, email));
      }
      return new SourceRecord(
          source,
          id,
          changedAt,
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

    /** The content hash the hub keeps for this card. */
    String hash() {
      return RecordJson.sha256(RecordJson.write(record()));
    }
  }
}
