package com.onemember.hub.cluster;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.api.client.ImportsApi;
import com.onemember.api.client.OutboundApi;
import com.onemember.api.client.model.ChangePage;
import com.onemember.api.client.model.GoldenEvent;
import com.onemember.api.client.model.ImportJob;
import com.onemember.hub.support.HubJar;
import com.onemember.hub.support.MemberSheet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Two hub processes on one PostgreSQL and one standalone Artemis broker: the same people sent half
 * to each hub at once end as the members one hub makes of them, and a hub killed with SIGKILL in
 * the middle of an import leaves its work to the other, the change feed complete.
 */
class TwoHubsIT {

  private static final int PEOPLE = 10_000;
  private static final String STORE = "pos-store-12";
  private static final String SHOP = "web-shop";

  private static final String SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕";
  private static final String GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国志强海燕春梅晓东";

  /**
   * 20,000 rows: 10,000 people as the stores' POS exports them (GBK CSV) and again as the web shop
   * does (UTF-8 CSV, phones with +86 or dashes, birthdays in another layout). Once both to one hub
   * at the same moment, once the store's to one hub and the shop's to another at the same moment;
   * both times each person's two rows race each other into matching. The members must be the same,
   * each person once.
   */
  @Test
  void theSamePeopleSentHalfToEachHubAtOnceMakeTheMembersOneHubMakes() throws Exception {
    Path store = write("store-", storeSheet().gbkCsv());
    Path shop = write("shop-", shopSheet().utf8Csv());

    List<String> oneHub;
    try (Cluster cluster = Cluster.withStandaloneBroker("one-hub")) {
      HubJar hub = cluster.start("solo-hub").awaitUp();
      long started = System.nanoTime();
      List<UUID> ids = uploadTogether(List.of(hub, hub), List.of(store, shop));
      awaitSettled(cluster, ids);
      System.out.printf("one hub: 20,000 rows in %.1f s%n", (System.nanoTime() - started) / 1e9);
      oneHub = cluster.members();
    }
    assertEachPersonIsOneMember(oneHub);

    try (Cluster cluster = Cluster.withStandaloneBroker("two-hubs")) {
      HubJar first = cluster.start("hub-1");
      HubJar second = cluster.start("hub-2");
      first.awaitUp();
      second.awaitUp();
      long started = System.nanoTime();
      List<UUID> ids = uploadTogether(List.of(first, second), List.of(store, shop));
      awaitSettled(cluster, ids);
      System.out.printf("two hubs: 20,000 rows in %.1f s%n", (System.nanoTime() - started) / 1e9);
      List<String> twoHubs = cluster.members();
      assertEachPersonIsOneMember(twoHubs);
      assertThat(twoHubs).containsExactlyElementsOf(oneHub);
    }
  }

  /**
   * Hub 1 takes an upload of 8,000 new members and is killed with SIGKILL while its rows are being
   * matched: hub 2 gets the messages hub 1's consumers held, queues the rows hub 1 had not, and the
   * import completes with every row settled once; the change feed read from hub 2 has an event for
   * every member, in order, none twice.
   */
  @Test
  void aHubKilledInTheMiddleOfAnImportLeavesItsWorkToTheOther() throws Exception {
    int rows = 8_000;
    MemberSheet sheet = aSheet("会员卡号", "姓名", "手机号");
    for (int i = 1; i <= rows; i++) {
      sheet.row("K%06d".formatted(i), name(i + 50_000), "1370012%04d".formatted(i));
    }
    Path file = write("killed-", sheet.gbkCsv());
    try (Cluster cluster = Cluster.withStandaloneBroker("hub-killed")) {
      // as the deployment files run them: JSON lines
      Map<String, String> json = Map.of("logging.structured.format.console", "ecs");
      HubJar first = cluster.start("hub-1", json);
      HubJar second = cluster.start("hub-2", json);
      first.awaitUp();
      second.awaitUp();
      UUID id = upload(first, file, "pos-store-killed");
      // every row staged and queued, at least 500 matched: hub 1 is in the middle of matching
      Awaitility.await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  cluster.jdbc.queryForObject(
                      "select j.state = 'queued' and (select count(*) from import_row r where"
                          + " r.import_id = j.id and r.outcome <> 'pending') >= 500"
                          + " from import_job j where j.id = ?",
                      Boolean.class,
                      id));
      first.kill();
      int pendingAtKill = cluster.pending(id);
      assertThat(pendingAtKill).as("rows still pending when hub 1 was killed").isPositive();

      Awaitility.await("hub 2 finishes hub 1's import (log: " + second.log() + ")")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> cluster.pending(id) == 0);
      ImportJob job = new ImportsApi(second.client()).getImport(id);
      assertThat(job.getStatus().getValue()).isEqualTo("COMPLETED");
      Map<String, Object> counts =
          cluster.jdbc.queryForMap(
              "select count(*) as rows,"
                  + " count(*) filter (where outcome in ('created', 'merged')) as new"
                  + " from import_row where import_id = ?",
              id);
      // every row new to the hub, none refused: a row handled twice would read "unchanged"
      assertThat(((Number) counts.get("rows")).intValue()).isEqualTo(rows);
      assertThat(((Number) counts.get("new")).intValue()).isEqualTo(rows);
      assertThat(cluster.jdbc.queryForObject("select count(*) from source_record", Integer.class))
          .isEqualTo(rows);

      Set<UUID> members =
          new HashSet<>(
              cluster.jdbc.queryForList(
                  "select distinct member_id from source_record", UUID.class));
      List<GoldenEvent> feed = feed(second);
      Set<UUID> eventIds = new HashSet<>();
      Set<UUID> inFeed = new HashSet<>();
      long last = Long.MIN_VALUE;
      for (GoldenEvent event : feed) {
        assertThat(eventIds.add(event.getEventId()))
            .as("event %s twice", event.getEventId())
            .isTrue();
        assertThat(event.getPosition()).isGreaterThan(last);
        last = event.getPosition();
        inFeed.add(event.getMemberId());
      }
      assertThat(inFeed).containsAll(members);

      // the logs: JSON lines; the import's correlation id from the upload (hub 1) to the golden
      // events hub 2 published; no name or phone of the file in any line
      String correlation = "import-" + id;
      List<Map<String, Object>> oneLines = jsonLines(first);
      List<Map<String, Object>> twoLines = jsonLines(second);
      assertThat(oneLines)
          .anySatisfy(l -> assertThat(l.get("correlationId")).isEqualTo(correlation));
      assertThat(twoLines)
          .anySatisfy(
              l -> {
                assertThat(String.valueOf(l.get("correlationId"))).contains(correlation);
                assertThat(String.valueOf(l.get("message"))).startsWith("Published");
              });
      String logs = first.logText() + second.logText();
      for (int i = 1; i <= rows; i += 97) {
        assertThat(logs)
            .doesNotContain(name(i + 50_000))
            .doesNotContain("1370012%04d".formatted(i));
      }
    }
  }

  /** The hub's log as JSON objects, failing on a line that is not one (but the JVM's own). */
  private static List<Map<String, Object>> jsonLines(HubJar hub) throws Exception {
    var mapper = com.onemember.mdm.store.RecordJson.mapper();
    List<Map<String, Object>> lines = new ArrayList<>();
    for (String line : Files.readAllLines(hub.log())) {
      if (line.isBlank() || line.startsWith("OpenJDK") || line.startsWith("WARNING:")) {
        continue; // the JVM writes these before logging starts
      }
      lines.add(mapper.readValue(line, new com.fasterxml.jackson.core.type.TypeReference<>() {}));
    }
    assertThat(lines).isNotEmpty();
    return lines;
  }

  /**
   * Hub 1 is killed with SIGKILL while still reading a file (rows staged, none queued): hub 2 sees
   * that hub 1's lock is gone, reads on from the kept copy (the hubs share a disk here; in a
   * cluster the copies' directory is a shared volume) and the import completes, no row lost or
   * doubled.
   */
  @Test
  void aFileBeingReadByAHubThatDiesIsReadOnByTheOther() throws Exception {
    int rows = 40_000;
    int good = 400;
    StringBuilder csv = new StringBuilder("会员卡号,手机号,备注\r\n");
    for (int i = 1; i <= rows; i++) {
      boolean ok = i % (rows / good) == 0;
      // the others hold nothing that identifies a person: refused as read, and reading takes time
      csv.append(ok ? "R%06d,136%08d,\r\n".formatted(i, i) : ",,=SUM(A1:A2)\r\n");
    }
    Path file = write("reading-", csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try (Cluster cluster = Cluster.withStandaloneBroker("reader-killed")) {
      HubJar first = cluster.start("hub-1");
      HubJar second = cluster.start("hub-2");
      first.awaitUp();
      second.awaitUp();
      CompletableFuture.runAsync(() -> uploadQuietly(first, file, "pos-store-reading"));
      UUID id =
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(10))
              .until(
                  () ->
                      cluster.jdbc.queryForList(
                          "select id from import_job where state = 'reading' and rows_read >= ?",
                          UUID.class,
                          rows / 4),
                  l -> !l.isEmpty())
              .get(0);
      first.kill();
      assertThat(
              cluster.jdbc.queryForObject(
                  "select rows_read from import_job where id = ?", Integer.class, id))
          .isLessThan(rows);

      Awaitility.await("hub 2 reads on (log: " + second.log() + ")")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  "queued"
                          .equals(
                              cluster.jdbc.queryForObject(
                                  "select state from import_job where id = ?", String.class, id))
                      && cluster.pending(id) == 0);
      Map<String, Object> counts =
          cluster.jdbc.queryForMap(
              "select count(*) as rows, count(distinct row_no) as distinct_rows,"
                  + " count(*) filter (where outcome in ('created', 'merged')) as new"
                  + " from import_row where import_id = ?",
              id);
      assertThat(((Number) counts.get("rows")).intValue()).isEqualTo(rows);
      assertThat(((Number) counts.get("distinct_rows")).intValue()).isEqualTo(rows);
      assertThat(((Number) counts.get("new")).intValue()).isEqualTo(good);
      assertThat(
              cluster.jdbc.queryForObject(
                  "select reader from import_job where id = ?", String.class, id))
          .as("the import's reader is now hub 2")
          .contains(second.name());
    }
  }

  /**
   * No duplicate golden record: the store's row n and the shop's row n (the same person) are in one
   * member. (Two people with the same name and birthday may share one too: that is matching's
   * judgement, the same on one hub and on two.)
   */
  private static void assertEachPersonIsOneMember(List<String> members) {
    Map<String, Integer> memberOf = new java.util.HashMap<>();
    for (int m = 0; m < members.size(); m++) {
      for (String record : members.get(m).split(",")) {
        memberOf.put(record, m);
      }
    }
    assertThat(memberOf).hasSize(2 * PEOPLE);
    for (int row = 1; row <= PEOPLE; row++) {
      assertThat(memberOf.get(SHOP + ":" + row))
          .as("person %d", row)
          .isEqualTo(memberOf.get(STORE + ":" + row));
    }
  }

  private static MemberSheet storeSheet() {
    MemberSheet sheet = aSheet("会员卡号", "姓名", "手机号", "生日");
    for (int i = 0; i < PEOPLE; i++) {
      sheet.row("S%06d".formatted(i), name(i), phone(i), "%d-%02d-%02d".formatted(birth(i)));
    }
    return sheet;
  }

  private static MemberSheet shopSheet() {
    MemberSheet sheet = aSheet("会员卡号", "姓名", "手机号", "生日", "邮箱");
    for (int i = 0; i < PEOPLE; i++) {
      String p = phone(i);
      String mobile =
          i % 2 == 0
              ? "+86 " + p.substring(0, 3) + " " + p.substring(3, 7) + " " + p.substring(7)
              : p.substring(0, 3) + "-" + p.substring(3, 7) + "-" + p.substring(7);
      Object[] b = birth(i);
      sheet.row(
          "W%06d".formatted(i),
          name(i),
          mobile,
          "%d年%d月%d日".formatted(b),
          "m%05d@shop.example.cn".formatted(i));
    }
    return sheet;
  }

  private static String name(int i) {
    return ""
        + SURNAMES.charAt(i % SURNAMES.length())
        + GIVEN.charAt((i / SURNAMES.length()) % GIVEN.length())
        + GIVEN.charAt((i * 7 + 3) % GIVEN.length());
  }

  private static String phone(int i) {
    return "1%d%d%08d".formatted(3 + i % 3, 5 + i % 4, 31_000_000 + i * 7);
  }

  private static Object[] birth(int i) {
    return new Object[] {1960 + i % 40, 1 + i % 12, 1 + i % 28};
  }

  private static Path write(String prefix, byte[] content) throws Exception {
    Path file = Files.createTempFile(prefix, ".csv");
    Files.write(file, content);
    file.toFile().deleteOnExit();
    return file;
  }

  private static UUID upload(HubJar hub, Path file, String source) throws Exception {
    return new ImportsApi(hub.client()).createImport(file.toFile(), source, null).getId();
  }

  private static void uploadQuietly(HubJar hub, Path file, String source) {
    try {
      upload(hub, file, source);
    } catch (Exception e) {
      // the hub is killed while the upload may still be answered: the job in the database counts
    }
  }

  /** Uploads {@code files[i]} to {@code hubs[i]}, all at the same moment. */
  private static List<UUID> uploadTogether(List<HubJar> hubs, List<Path> files) throws Exception {
    java.util.concurrent.CyclicBarrier together =
        new java.util.concurrent.CyclicBarrier(hubs.size());
    List<CompletableFuture<UUID>> uploads = new ArrayList<>();
    for (int i = 0; i < hubs.size(); i++) {
      HubJar hub = hubs.get(i);
      Path file = files.get(i);
      String source = file.getFileName().toString().startsWith("store-") ? STORE : SHOP;
      uploads.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  together.await();
                  return upload(hub, file, source);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    List<UUID> ids = new ArrayList<>();
    for (CompletableFuture<UUID> upload : uploads) {
      ids.add(upload.get());
    }
    return ids;
  }

  private static void awaitSettled(Cluster cluster, List<UUID> ids) {
    Awaitility.await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                ids.stream()
                    .allMatch(
                        id ->
                            cluster.jdbc.queryForObject(
                                        "select count(*) from import_row where import_id = ?",
                                        Integer.class,
                                        id)
                                    == PEOPLE
                                && cluster.pending(id) == 0));
  }

  /** The whole change feed, page by page, as a consuming system reads it. */
  private static List<GoldenEvent> feed(HubJar hub) throws Exception {
    OutboundApi api = new OutboundApi(hub.client());
    List<GoldenEvent> all = new ArrayList<>();
    String after = null;
    while (true) {
      ChangePage page = api.listChanges(after, 1000);
      all.addAll(page.getItems());
      if (page.getItems().isEmpty()) {
        return all;
      }
      after = page.getNext();
    }
  }
}
