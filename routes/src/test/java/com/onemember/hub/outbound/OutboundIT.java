package com.onemember.hub.outbound;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.onemember.api.client.OutboundApi;
import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.ChangePage;
import com.onemember.api.client.model.DeadLetter;
import com.onemember.api.client.model.DeadLetterStatus;
import com.onemember.api.client.model.GoldenEvent;
import com.onemember.api.client.model.ImportJob;
import com.onemember.api.client.model.Member;
import com.onemember.api.client.model.ReplayResult;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.HubInfrastructure;
import com.onemember.hub.support.MemberSheet;
import com.onemember.hub.support.WebhookReceivers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Golden-record changes reaching consuming systems: signed webhooks through their durable
 * subscriptions on a real Artemis broker, echo suppression, dead letters and replay, a broker
 * restart, and the change feed.
 */
class OutboundIT extends HubIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] HEADER = {"会员卡号", "姓名", "手机号", "生日"};
  private static final String[] NAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};

  @Autowired JdbcTemplate jdbc;

  private final WebhookReceivers.Receiver crm = WebhookReceivers.get().receiver("crm");
  private final WebhookReceivers.Receiver pos = WebhookReceivers.get().receiver("pos");

  @Test
  void changesReachEverySystemSignedButNoSystemGetsItsOwnChangeBackAsNews() throws Exception {
    importAndWait(
        "pos-store-71",
        "pos.csv",
        aSheet(HEADER)
            .row("7100001", "黄晓明", "13707100001", "1977-11-12")
            .row("7100002", "杨颖", "13707100002", "1989-02-28")
            .gbkCsv());
    UUID huang = only("13707100001").getId();

    // the CRM learns of the new member as news, with the golden record and the cross-reference
    JsonNode created = await(crm, huang, "CREATED");
    assertThat(created.path("member").path("name").asText()).isEqualTo("黄晓明");
    assertThat(created.path("originSource").asText()).isEqualTo("pos-store-71");
    assertThat(created.path("sourceRecords").get(0).path("sourceRecordId").asText())
        .isEqualTo("card:7100001");
    // the golden record is stored once, as the member's version: the stored event refers to it and
    // gets it back, in its place after occurredAt, when it is published
    assertThat(
            jdbc.queryForObject(
                "select payload -> 'member' is null from golden_event where event_id = ?::uuid",
                Boolean.class,
                created.path("eventId").asText()))
        .isTrue();
    JsonNode version =
        JSON.readTree(
            jdbc.queryForObject(
                "select golden::text from member_version where member_id = ? and version = ?",
                String.class,
                huang,
                created.path("version").asLong()));
    assertThat(created.path("member").path("name")).isEqualTo(version.path("name"));
    assertThat(created.path("member").path("version")).isEqualTo(version.path("version"));
    // and the JSON is laid out as before, when the stored payload held a copy: jsonb's key order
    // (shorter keys first), with the feed position added last
    java.util.List<String> fields = new java.util.ArrayList<>();
    created.fieldNames().forEachRemaining(fields::add);
    java.util.List<String> jsonbOrder =
        new java.util.ArrayList<>(fields.subList(0, fields.size() - 1));
    jsonbOrder.sort(java.util.Comparator.comparingInt(String::length).thenComparing(k -> k));
    assertThat(fields).endsWith("position").startsWith(jsonbOrder.toArray(String[]::new));
    // the POS, whose record it was, gets only the link of its record to the golden id
    JsonNode link = await(pos, huang, "LINKED");
    assertThat(link.path("eventId").asText()).isEqualTo(created.path("eventId").asText());
    assertThat(link.has("member")).isFalse();
    assertThat(link.path("sourceRecords").get(0).path("source").asText()).isEqualTo("pos-store-71");

    // the CRM's own app sends the same person: now the POS gets the news and the CRM the link
    importAndWait(
        "crm-app-71",
        "crm.csv",
        aSheet("客户编号", "姓名", "手机号", "邮箱", "生日")
            .row("c-71-001", "黄晓明", "137 0710 0001", "huangxm77@163.com", "1977年11月12日")
            .utf8Csv());
    JsonNode news = await(pos, huang, "UPDATED");
    assertThat(news.path("originSource").asText()).isEqualTo("crm-app-71");
    assertThat(news.path("sourceRecords")).hasSize(2);
    // the POS is granted mobiles only: no e-mail, no birthday, no raw cells reach it, in the
    // member, its lineage or its source records; the CRM, granted everything, gets them
    assertThat(news.toString())
        .contains("13707100001")
        .doesNotContain("huangxm77@163.com")
        .doesNotContain("1977-11-12")
        .doesNotContain("\"raw\"");
    assertThat(news.path("member").path("birthday").isNull()).isTrue();
    JsonNode crmNews = await(crm, huang, "CREATED");
    assertThat(crmNews.path("member").path("birthday").asText()).isNotEmpty();
    JsonNode own = await(crm, huang, "LINKED");
    assertThat(own.path("sourceRecords")).hasSize(1);
    assertThat(own.path("sourceRecords").get(0).path("source").asText()).isEqualTo("crm-app-71");

    assertThat(of(pos, huang)).noneMatch(e -> isNews(e) && "pos-store-71".equals(origin(e)));
    assertThat(of(crm, huang)).noneMatch(e -> isNews(e) && "crm-app-71".equals(origin(e)));
    // the receivers refuse any POST whose signature does not check out: everything arrived signed
    assertThat(crm.deliveries()).allMatch(WebhookReceivers.Delivery::signatureValid);
  }

  @Test
  void eventsAWebhookRefusesBecomeDeadLettersAndReplayDeliversThemInOrder() throws Exception {
    crm.down();
    try {
      importAndWait(
          "pos-store-72",
          "pos.csv",
          aSheet(HEADER).row("7200001", "刘诗诗", "13707200001", "1987-03-10").gbkCsv());
      UUID liu = only("13707200001").getId();
      DeadLetter letter =
          Awaitility.await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      crmLetters(DeadLetterStatus.PENDING).stream()
                          .filter(d -> d.getMemberId().equals(liu))
                          .findFirst(),
                  java.util.Optional::isPresent)
              .orElseThrow();
      assertThat(letter.getAttempts()).isEqualTo(3);
      assertThat(letter.getLastError()).contains("HTTP 503", "down for maintenance");
      assertThat(of(crm, liu)).isEmpty();
      // the POS was up all along and is not held up by the CRM
      await(pos, liu, "LINKED");

      // still down: a replay fails, says why and keeps the letter
      ReplayResult refused = outbound().replayDeadLetters("crm");
      assertThat(refused.getReplayed()).isZero();
      assertThat(refused.getStillPending()).isPositive();
      assertThat(refused.getLastError()).contains("503");
    } finally {
      crm.up();
    }
    ReplayResult replayed = outbound().replayDeadLetters("crm");
    assertThat(replayed.getStillPending()).isZero();
    assertThat(replayed.getReplayed()).isPositive();
    UUID liu = only("13707200001").getId();
    JsonNode delivered = await(crm, liu, "CREATED");
    assertThat(delivered.path("member").path("name").asText()).isEqualTo("刘诗诗");
    assertThat(crmLetters(DeadLetterStatus.PENDING)).isEmpty();
    assertThat(crmLetters(DeadLetterStatus.REPLAYED))
        .anySatisfy(d -> assertThat(d.getMemberId()).isEqualTo(liu));
    // an unknown consuming system is named as such
    try {
      outbound().replayDeadLetters("erp");
      throw new AssertionError("replaying for an unknown system must fail");
    } catch (ApiException e) {
      assertThat(e.getCode()).isEqualTo(404);
    }
  }

  @Test
  void replayingAllGoesPastARefusedLetterHoldsThatMembersLaterOnesAndCountsWhatIsLeft()
      throws Exception {
    crm.down();
    UUID yang;
    UUID zhao;
    try {
      importAndWait(
          "pos-store-74",
          "pos.csv",
          aSheet(HEADER)
              .row("7400001", "杨幂", "13707400001", "1986-09-12")
              .row("7400002", "赵丽颖", "13707400002", "1987-10-16")
              .gbkCsv());
      yang = only("13707400001").getId();
      zhao = only("13707400002").getId();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  crmLetters(DeadLetterStatus.PENDING).stream()
                      .map(DeadLetter::getMemberId)
                      .collect(java.util.stream.Collectors.toSet())
                      .containsAll(List.of(yang, zhao)));
    } finally {
      crm.up();
    }
    // the CRM's own validation refuses 杨幂's record, whose letter is the older one
    crm.refuse("13707400001");
    try {
      ReplayResult result = outbound().replayDeadLetters("crm");
      assertThat(result.getRefused()).isPositive();
      assertThat(result.getReplayed()).isPositive();
      assertThat(result.getFailures())
          .isNotEmpty()
          .allSatisfy(
              f -> {
                assertThat(f.getMemberId()).isEqualTo(yang);
                assertThat(f.getError()).contains("422");
              });
      assertThat(result.getLastError()).contains("422");
      List<DeadLetter> left = crmLetters(DeadLetterStatus.PENDING);
      assertThat(result.getStillPending()).isEqualTo(left.size());
      assertThat(left).extracting(DeadLetter::getMemberId).containsOnly(yang);
      // the one after the refusal went through
      await(crm, zhao, "CREATED");
    } finally {
      crm.refuse(null);
    }
    assertThat(outbound().replayDeadLetters("crm").getStillPending()).isZero();
    await(crm, yang, "CREATED");
  }

  @Test
  void eventsPublishedWhileTheBrokerIsDownArriveOnceItIsBack() throws Exception {
    MemberSheet sheet = aSheet(HEADER);
    for (int i = 1; i <= 40; i++) {
      sheet.row(
          "73%05d".formatted(i),
          NAMES[i % NAMES.length] + (char) ('明' + i),
          "1370730%04d".formatted(i),
          "1990-01-%02d".formatted(1 + i % 28));
    }
    ImportJob job = upload("pos-store-73", "pos.csv", sheet.gbkCsv());
    // let some rows through, then take the broker away in the middle of ingest and relay
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> imports().getImport(job.getId()).getCounts().getPending() < 35);
    HubInfrastructure.get().broker().stop();
    Thread.sleep(2000);
    HubInfrastructure.get().broker().start();
    awaitCompleted(job.getId());

    List<UUID> eventIds =
        jdbc.queryForList(
            "select e.event_id from golden_event e where e.origin_source = 'pos-store-73'",
            UUID.class);
    assertThat(eventIds).hasSizeGreaterThanOrEqualTo(40);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(crm.deliveries().stream().map(WebhookReceivers.Delivery::eventId))
                    .containsAll(eventIds.stream().map(UUID::toString).toList()));
    // a duplicate is the same event: same id, same body
    Map<String, Set<String>> bodies =
        crm.deliveries().stream()
            .collect(
                Collectors.groupingBy(
                    WebhookReceivers.Delivery::eventId,
                    Collectors.mapping(WebhookReceivers.Delivery::body, Collectors.toSet())));
    assertThat(bodies.values()).allMatch(b -> b.size() == 1);
  }

  @Test
  void aPollerReadingTheFeedInSmallPagesWhileImportsRunSeesEveryChangeOnce() throws Exception {
    long start = lastChangePosition(); // past what earlier tests wrote
    List<GoldenEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicBoolean importing = new AtomicBoolean(true);
    String[] cursor = {Long.toString(start)};
    Thread poller =
        new Thread(
            () -> {
              try {
                while (true) {
                  boolean last = !importing.get();
                  ChangePage page = outbound().listChanges(cursor[0], 7);
                  seen.addAll(page.getItems());
                  cursor[0] = page.getNext();
                  if (page.getItems().isEmpty() && last) {
                    return;
                  }
                }
              } catch (ApiException e) {
                throw new IllegalStateException(e);
              }
            });
    poller.start();
    List<UUID> jobs = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      MemberSheet sheet = aSheet(HEADER);
      for (int i = 1; i <= 25; i++) {
        // the three sources share people: merges and updates as well as new members
        sheet.row(
            "74%d%04d".formatted(s, i),
            NAMES[i % NAMES.length] + (char) ('华' + i),
            "1370740%04d".formatted(i),
            "1985-06-%02d".formatted(1 + i % 28));
      }
      jobs.add(upload("pos-store-74" + s, "pos.csv", sheet.gbkCsv()).getId());
    }
    for (UUID id : jobs) {
      awaitCompleted(id);
    }
    importing.set(false);
    poller.join(Duration.ofSeconds(60).toMillis());

    Set<UUID> ids = new HashSet<>();
    long previous = start;
    for (GoldenEvent e : seen) {
      assertThat(ids.add(e.getEventId())).as("seen once: " + e.getEventId()).isTrue();
      assertThat(e.getPosition()).isGreaterThan(previous);
      previous = e.getPosition();
    }
    // everything written after the start, and nothing else, was seen
    List<UUID> written =
        jdbc.queryForList(
            "select e.event_id from golden_event_position p join golden_event e on e.seq = p.seq"
                + " where p.position > ? order by p.position",
            UUID.class,
            start);
    assertThat(seen.stream().map(GoldenEvent::getEventId).toList()).isEqualTo(written);
    assertThat(seen)
        .filteredOn(
            e -> e.getOriginSource() != null && e.getOriginSource().startsWith("pos-store-74"))
        .hasSizeGreaterThanOrEqualTo(75);
    // and the last event of a member is its current version
    Member one = only("13707400003");
    GoldenEvent latest =
        seen.stream()
            .filter(e -> e.getMemberId().equals(one.getId()))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(latest.getVersion()).isEqualTo(one.getVersion());
    // a cursor that is not one is refused with the reason
    try {
      outbound().listChanges("yesterday", 10);
      throw new AssertionError("a bad cursor must be refused");
    } catch (ApiException e) {
      assertThat(e.getCode()).isEqualTo(400);
      assertThat(e.getResponseBody()).contains("'after' must be the 'next'");
    }
  }

  private OutboundApi outbound() {
    return new OutboundApi(apiClient());
  }

  private Member only(String phone) throws ApiException {
    List<Member> found = members().findMembers(phone).getItems();
    assertThat(found).as(phone).hasSize(1);
    return found.get(0);
  }

  /** Waits for {@code receiver} to accept an event of {@code type} about {@code member}. */
  private static JsonNode await(WebhookReceivers.Receiver receiver, UUID member, String type) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                of(receiver, member).stream()
                    .filter(e -> e.path("type").asText().equals(type))
                    .reduce((a, b) -> b),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  private static List<JsonNode> of(WebhookReceivers.Receiver receiver, UUID member) {
    return receiver.deliveries().stream()
        .map(d -> read(d.body()))
        .filter(e -> e.path("memberId").asText().equals(member.toString()))
        .toList();
  }

  private static boolean isNews(JsonNode event) {
    return !event.path("type").asText().equals("LINKED");
  }

  private static String origin(JsonNode event) {
    return event.path("originSource").asText(null);
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CRM's dead letters in {@code status}, up to a thousand. */
  private List<DeadLetter> crmLetters(DeadLetterStatus status) throws Exception {
    return outbound().listDeadLetters("crm", status, 1000).getItems();
  }
}
