package com.onemember.hub.matching;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.OneMemberHub;
import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.bench.generator.ChineseMemberGenerator;
import com.onemember.mdm.bench.generator.GeneratedRecord;
import com.onemember.mdm.ingest.IngestOutcome;
import com.onemember.mdm.ingest.bulk.BulkLoad;
import com.onemember.mdm.ingest.bulk.SourceRecordIngest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A record decided alone and the same record decided in a chunk of a thousand come out alike (both
 * run the same stages; what differs is how often the candidates are read and the changes written,
 * and what a chunk's decisions see of each other's in memory): 20,000 generated Chinese member
 * records (tills, web shop, WeChat, store sheets, households sharing phones), then a second pass
 * that sends 1,000 of them again unchanged, 500 with a changed nickname, 20 new ones each followed
 * in the same chunk by a changed copy, and 20 that identify nobody (refused), go once one by one
 * through {@link SourceRecordIngest} (chunks of one), each in its own transaction, and once in
 * chunks of 1,000 through {@link BulkLoad}, each chunk in one transaction, each time into an empty
 * hub. Both must report the same outcome for every record and leave the same members, merges,
 * reviews and matcher entries in the merge log. One chunk of the bulk run is first loaded in a
 * transaction that is rolled back, as a hub killed before its commit leaves it, and then loaded
 * again, as the next start does with its pending rows: it must leave nothing behind and change
 * nothing in the result.
 *
 * <p>Members get random ids, so both databases are compared with every member named by the record
 * that started it (the one source record of its {@code NEW_MEMBER} entry in the merge log). Member
 * versions and golden events are not compared: the bulk load writes one of each per member per
 * chunk, where a record alone writes one per record; nor are evidence texts and times.
 *
 * <p>Both runs must also be deterministic on their own: a decision that hangs on the members'
 * random ids (say, which of the members tied at the {@code max-candidates} cut are read, which both
 * paths rank by id) can come out differently in the two hubs and shows up here as a difference.
 *
 * <p>{@code -Dbulk-equivalence.keep-data=true} keeps both hubs' data directories (and prints where)
 * to look into a difference with the databases at hand.
 *
 * <p>Each run starts a hub of its own on its embedded defaults (its own PostgreSQL and Artemis
 * under a fresh data directory), so that both start empty; the first is closed before the second
 * starts.
 */
class BulkLoadEquivalenceIT {

  private static final int RECORDS = 20_000;
  private static final int CHUNK = 1_000;

  /**
   * The chunk that is first decided and written and then rolled back, as when a hub is killed
   * before it commits, and then loaded again, as the next start does with its pending rows.
   */
  private static final int CRASHED_CHUNK = 7;

  /** How many differences a failure shows per comparison. */
  private static final int SHOWN = 12;

  @Test
  void theBulkLoadMakesTheSameMembersMergesReviewsAndMergeLogAsTheIncrementalPath()
      throws IOException {
    List<SourceRecord> records = new ArrayList<>();
    for (GeneratedRecord g : new ChineseMemberGenerator(20261206).generate(RECORDS)) {
      records.add(g.record());
    }
    assertThat(records).hasSize(RECORDS);
    records.addAll(secondPass(records));

    Picture incremental =
        run(
            "incremental",
            records,
            (ctx, importId) -> {
              SourceRecordIngest ingest = ctx.getBean(SourceRecordIngest.class);
              List<IngestOutcome> outcomes = new ArrayList<>(records.size());
              for (SourceRecord r : records) {
                outcomes.add(ingest.ingest(r, importId));
              }
              return outcomes;
            });
    Picture bulk =
        run(
            "bulk",
            records,
            (ctx, importId) -> {
              BulkLoad load = ctx.getBean(BulkLoad.class);
              TransactionTemplate tx =
                  new TransactionTemplate(ctx.getBean(PlatformTransactionManager.class));
              List<IngestOutcome> outcomes = new ArrayList<>(records.size());
              for (int from = 0; from < records.size(); from += CHUNK) {
                List<SourceRecord> chunk =
                    records.subList(from, Math.min(from + CHUNK, records.size()));
                if (from == CRASHED_CHUNK * CHUNK) {
                  // as a hub killed before the chunk's commit: decided and written, never committed
                  tx.executeWithoutResult(
                      s -> {
                        load.load(chunk, importId);
                        s.setRollbackOnly();
                      });
                }
                List<IngestOutcome> out = tx.execute(s -> load.load(chunk, importId));
                assertThat(out).as("one outcome per record of the chunk").hasSize(chunk.size());
                outcomes.addAll(out);
              }
              return outcomes;
            });

    // the comparison proves something only if the records exercised the matcher
    assertThat(incremental.kindCounts.getOrDefault(IngestOutcome.Kind.MERGED, 0))
        .as("records the incremental path merged into an existing member")
        .isGreaterThanOrEqualTo(1_000);
    assertThat(incremental.reviews).as("review pairs the incremental path opened").isNotEmpty();
    assertThat(incremental.kindCounts)
        .as("the second pass brought records back unchanged and changed, and refused rows")
        .containsKeys(
            IngestOutcome.Kind.UNCHANGED, IngestOutcome.Kind.UPDATED, IngestOutcome.Kind.REJECTED);

    SoftAssertions softly = new SoftAssertions();
    compareInOrder(
        softly,
        "outcome per record (kind, creator of its member)",
        incremental,
        bulk,
        p -> p.outcomes);
    compareAsMultisets(
        softly, "members (the records of each live member)", incremental, bulk, p -> p.members);
    compareAsMultisets(
        softly,
        "merges (creator of survivor <- creator of absorbed, records moved)",
        incremental,
        bulk,
        p -> p.merges);
    compareAsMultisets(
        softly,
        "reviews (record, its member, candidate, verdict, pattern, status)",
        incremental,
        bulk,
        p -> p.reviews);
    compareInOrder(
        softly,
        "matcher entries of the merge log, by seq (action, members, records)",
        incremental,
        bulk,
        p -> p.mergeLog);
    softly.assertAll();
  }

  /**
   * Records a source sends after the first load, interleaved: the first 1,000 again as they were
   * (unchanged), the next 500 with another nickname (updated), 20 new members each followed by a
   * changed copy of itself (new, then updated, in one chunk), and 20 rows that name nobody
   * (refused: no name, phone or id).
   */
  private static List<SourceRecord> secondPass(List<SourceRecord> first) {
    List<SourceRecord> out = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      out.add(first.get(i));
      if (i < 500) {
        out.add(withNickname(first.get(1_000 + i), "老顾客" + i));
      }
      if (i < 20) {
        SourceRecord fresh =
            new SourceRecord(
                "pos-store-88",
                "8800880" + (1000 + i),
                null,
                "欧阳" + "春夏秋冬".charAt(i % 4) + "华",
                null,
                "F",
                "1990-03-" + (10 + i),
                List.of(
                    new com.onemember.canonical.Identifier(
                        com.onemember.canonical.IdentifierType.MOBILE,
                        "1390731" + (4000 + i),
                        null)),
                List.of(),
                List.of(),
                List.of(),
                null,
                java.util.Map.of(),
                List.of());
        out.add(fresh);
        out.add(withNickname(fresh, "小欧阳" + i));
        out.add(
            new SourceRecord(
                "pos-store-88",
                "8800990" + (1000 + i),
                null,
                null,
                "？？",
                null,
                null,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                null,
                java.util.Map.of("备注", "无"),
                List.of()));
      }
    }
    return out;
  }

  private static SourceRecord withNickname(SourceRecord r, String nickname) {
    return new SourceRecord(
        r.source(),
        r.sourceRecordId(),
        r.sourceUpdatedAt(),
        r.name(),
        nickname,
        r.gender(),
        r.birthday(),
        r.identifiers(),
        r.addresses(),
        r.consents(),
        r.tags(),
        r.purchases(),
        r.raw(),
        r.servedBy());
  }

  /** How a run ingests the records into a started hub: its outcomes, one per record, in order. */
  @FunctionalInterface
  private interface Ingest
      extends BiFunction<ConfigurableApplicationContext, UUID, List<IngestOutcome>> {}

  /**
   * Starts an empty hub, ingests the records as {@code how} does, reads what the database holds
   * with members named by their creators, and closes the hub.
   */
  private static Picture run(String name, List<SourceRecord> records, Ingest how)
      throws IOException {
    Path dataDir = Files.createTempDirectory("onemember-bulk-equivalence-" + name + "-");
    // as command-line arguments: default properties (SpringApplicationBuilder#properties) rank
    // below the hub's application.yaml, which sets data-dir, durability and server.port itself
    String[] arguments = {
      "--onemember.data-dir=" + dataDir,
      "--onemember.security.admin-token=equivalence-it-token",
      "--onemember.tags.sweep-period=1000d",
      "--onemember.merge-log.checkpoint-period=1000d",
      "--onemember.embedded.postgres.durability=throwaway-trial",
      "--onemember.imports.drop-folder=",
      "--server.port=0"
    };
    try (ConfigurableApplicationContext ctx =
        new SpringApplicationBuilder(OneMemberHub.class).run(arguments)) {
      assertThat(dataDir.resolve("postgres"))
          .as("%s: the hub keeps its embedded PostgreSQL in the test's own data directory", name)
          .isDirectory();
      JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);
      assertThat(jdbc.queryForObject("select count(*) from source_record", Long.class))
          .as("%s: the hub starts empty", name)
          .isZero();
      UUID importId = UUID.randomUUID();
      List<IngestOutcome> outcomes = how.apply(ctx, importId);
      assertThat(outcomes).as("%s: one outcome per record", name).hasSize(records.size());
      Picture picture = Picture.read(name, jdbc, records, outcomes);
      // counts only: the test's database runs with fsync off, so its times measure nothing
      // (ImportBench measures speed on a durable one)
      System.out.printf(
          "BulkLoadEquivalenceIT %s: %d records; outcomes %s; %d members,"
              + " %d member_merge rows, %d reviews, %d matcher merge-log entries%n",
          name,
          records.size(),
          picture.kindCounts,
          picture.members.size(),
          picture.merges.size(),
          picture.reviews.size(),
          picture.mergeLog.size());
      return picture;
    } finally {
      if (!Boolean.getBoolean("bulk-equivalence.keep-data")) {
        deleteQuietly(dataDir);
      } else {
        System.out.println("BulkLoadEquivalenceIT " + name + ": data kept in " + dataDir);
      }
    }
  }

  /** What a run left in the database, every member named by the record that started it. */
  private static final class Picture {
    final Map<IngestOutcome.Kind, Integer> kindCounts = new EnumMap<>(IngestOutcome.Kind.class);
    final List<String> outcomes = new ArrayList<>();
    final List<String> members = new ArrayList<>();
    final List<String> merges = new ArrayList<>();
    final List<String> reviews = new ArrayList<>();
    final List<String> mergeLog = new ArrayList<>();
    private final Map<UUID, String> creators = new HashMap<>();

    static Picture read(
        String run, JdbcTemplate jdbc, List<SourceRecord> records, List<IngestOutcome> outcomes) {
      Picture p = new Picture();
      jdbc.query(
          "select seq, member_ids, source_records from merge_log where action = 'NEW_MEMBER'",
          rs -> {
            UUID[] members = (UUID[]) rs.getArray(2).getArray();
            String[] names = (String[]) rs.getArray(3).getArray();
            assertThat(names)
                .as(
                    "%s: NEW_MEMBER entry %d names the one record that started it",
                    run, rs.getLong(1))
                .hasSize(1);
            String before = p.creators.put(members[0], names[0]);
            assertThat(before)
                .as("%s: member %s has one NEW_MEMBER entry", run, members[0])
                .isNull();
          });

      for (int i = 0; i < records.size(); i++) {
        SourceRecord r = records.get(i);
        IngestOutcome o = outcomes.get(i);
        p.kindCounts.merge(o.kind(), 1, Integer::sum);
        String creator = o.memberId() == null ? null : p.creator(o.memberId());
        p.outcomes.add(
            "#" + i + " " + r.source() + ":" + r.sourceRecordId() + " " + o.kind() + " " + creator);
      }

      assertThat(
              jdbc.queryForObject(
                  "select count(*) from source_record s join member m on m.id = s.member_id"
                      + " where m.merged_into is not null or m.withdrawn_at is not null",
                  Long.class))
          .as("%s: records in members that were merged away or withdrawn", run)
          .isZero();
      jdbc.query(
          "select array_agg(source || ':' || source_record_id) from source_record group by"
              + " member_id",
          rs -> {
            String[] names = (String[]) rs.getArray(1).getArray();
            Arrays.sort(names);
            p.members.add(String.join(", ", names));
          });

      jdbc.query(
          "select survivor_id, absorbed_id, coalesce(cardinality(moved_records), 0)"
              + " from member_merge",
          rs -> {
            p.merges.add(
                p.creator(rs.getObject(1, UUID.class))
                    + " <- "
                    + p.creator(rs.getObject(2, UUID.class))
                    + " ("
                    + rs.getInt(3)
                    + " records moved)");
          });

      jdbc.query(
          "select s.source || ':' || s.source_record_id, r.record_member_id,"
              + " r.candidate_member_id, r.verdict, r.pattern, r.status"
              + " from match_review r join source_record s on s.id = r.source_record_pk",
          rs -> {
            p.reviews.add(
                rs.getString(1)
                    + " in "
                    + p.creator(rs.getObject(2, UUID.class))
                    + " ~ "
                    + p.creator(rs.getObject(3, UUID.class))
                    + " "
                    + rs.getString(4)
                    + " "
                    + rs.getString(5)
                    + " "
                    + rs.getString(6));
          });

      jdbc.query(
          "select seq, action, member_ids, source_records from merge_log"
              + " where actor = 'matcher' order by seq",
          rs -> {
            UUID[] members = (UUID[]) rs.getArray(3).getArray();
            String[] names = (String[]) rs.getArray(4).getArray();
            p.mergeLog.add(
                rs.getString(2)
                    + " members "
                    + Stream.of(members).map(p::creator).toList()
                    + " records "
                    + List.of(names));
          });
      return p;
    }

    /** The record that started {@code member}, or a marker (never equal between runs) if none. */
    String creator(UUID member) {
      String name = creators.get(member);
      return name != null ? name : "<no NEW_MEMBER entry for " + member + ">";
    }
  }

  /** Compares two ordered lists, showing the first positions where they differ. */
  private static void compareInOrder(
      SoftAssertions softly,
      String what,
      Picture incremental,
      Picture bulk,
      Function<Picture, List<String>> part) {
    List<String> a = part.apply(incremental);
    List<String> b = part.apply(bulk);
    List<String> shown = new ArrayList<>();
    int differing = 0;
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      String x = i < a.size() ? a.get(i) : "<none>";
      String y = i < b.size() ? b.get(i) : "<none>";
      if (!x.equals(y)) {
        differing++;
        if (shown.size() < SHOWN) {
          shown.add("[" + i + "]\n      incremental: " + x + "\n      bulk:        " + y);
        }
      }
    }
    int count = differing;
    softly
        .assertThat(count)
        .withFailMessage(
            () ->
                String.format(
                    "%s: %d of %d/%d positions differ (incremental %d, bulk %d entries); the"
                        + " first:%n    %s",
                    what,
                    count,
                    a.size(),
                    b.size(),
                    a.size(),
                    b.size(),
                    String.join("\n    ", shown)))
        .isZero();
  }

  /** Compares two collections as multisets, showing what only one of them holds. */
  private static void compareAsMultisets(
      SoftAssertions softly,
      String what,
      Picture incremental,
      Picture bulk,
      Function<Picture, ? extends Collection<String>> part) {
    Map<String, Integer> a = counts(part.apply(incremental));
    Map<String, Integer> b = counts(part.apply(bulk));
    Map<String, Integer> onlyA = minus(a, b);
    Map<String, Integer> onlyB = minus(b, a);
    int differing =
        onlyA.values().stream().mapToInt(Integer::intValue).sum()
            + onlyB.values().stream().mapToInt(Integer::intValue).sum();
    softly
        .assertThat(differing)
        .withFailMessage(
            () ->
                String.format(
                    "%s: incremental %d, bulk %d; %d only in incremental, %d only in bulk;"
                        + "%n  only in incremental (first %d):%n    %s"
                        + "%n  only in bulk (first %d):%n    %s",
                    what,
                    part.apply(incremental).size(),
                    part.apply(bulk).size(),
                    onlyA.values().stream().mapToInt(Integer::intValue).sum(),
                    onlyB.values().stream().mapToInt(Integer::intValue).sum(),
                    SHOWN,
                    first(onlyA),
                    SHOWN,
                    first(onlyB)))
        .isZero();
  }

  private static Map<String, Integer> counts(Collection<String> items) {
    Map<String, Integer> out = new TreeMap<>();
    for (String s : items) {
      out.merge(s, 1, Integer::sum);
    }
    return out;
  }

  /** What {@code a} holds more often than {@code b}, and how many times more. */
  private static Map<String, Integer> minus(Map<String, Integer> a, Map<String, Integer> b) {
    Map<String, Integer> out = new LinkedHashMap<>();
    a.forEach(
        (k, n) -> {
          int more = n - b.getOrDefault(k, 0);
          if (more > 0) {
            out.put(k, more);
          }
        });
    return out;
  }

  private static String first(Map<String, Integer> items) {
    return String.join(
        "\n    ",
        items.entrySet().stream()
            .limit(SHOWN)
            .map(e -> e.getValue() == 1 ? e.getKey() : e.getKey() + "  (x" + e.getValue() + ")")
            .toList());
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      System.out.println("BulkLoadEquivalenceIT: could not delete " + dir + ": " + e);
    }
  }
}
