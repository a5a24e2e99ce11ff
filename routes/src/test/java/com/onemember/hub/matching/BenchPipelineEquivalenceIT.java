package com.onemember.hub.matching;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.OneMemberHub;
import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.bench.generator.ChineseMemberGenerator;
import com.onemember.mdm.bench.generator.GeneratedRecord;
import com.onemember.mdm.clustering.MemberClustering;
import com.onemember.mdm.ingest.bulk.SourceRecordIngest;
import com.onemember.mdm.matchmodels.MatchEngine;
import com.onemember.mdm.scoring.MatchRecords;
import com.onemember.mdm.standardize.RecordStandardizer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The benchmark measures what the hub decides: 2,000 generated Chinese member records (tills, web
 * shop, WeChat, store sheets, with households sharing phones) go once through the hub's ingest into
 * PostgreSQL and once through {@link MemberClustering}, the in-memory pipeline {@code MatchBench}
 * runs, with the hub's own model and settings. Both must group the records into the same members.
 *
 * <p>The hub runs on its embedded defaults (its own PostgreSQL and Artemis under a data directory
 * of its own), not on the database the other tests share: both sides must see the same candidates,
 * and two thousand realistic members (Shanghai streets, common names, open reviews) left in the
 * shared database would turn up in other tests' searches.
 */
@SpringBootTest(
    classes = OneMemberHub.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class BenchPipelineEquivalenceIT {

  @DynamicPropertySource
  static void ownHub(DynamicPropertyRegistry registry) throws IOException {
    String dataDir = Files.createTempDirectory("onemember-equivalence-").toString();
    registry.add("onemember.data-dir", () -> dataDir);
    registry.add("onemember.security.admin-token", () -> "equivalence-it-token");
    registry.add("onemember.tags.sweep-period", () -> "1000d");
  }

  @Autowired SourceRecordIngest ingest;
  @Autowired MatchEngine engine;
  @Autowired JdbcTemplate jdbc;

  @Test
  void theBenchPipelineAndTheHubsIngestMakeTheSameMembersOfTheSameRecords() {
    List<SourceRecord> records = new ArrayList<>();
    for (GeneratedRecord g : new ChineseMemberGenerator(20261206).generate(2_000)) {
      records.add(g.record());
    }

    MemberClustering clustering =
        new MemberClustering(
            engine.matcher(), engine.settings().blockCap(), engine.settings().maxCandidates());
    RecordStandardizer standardizer = new RecordStandardizer();
    List<SourceRecord> accepted = new ArrayList<>();
    for (SourceRecord r : records) {
      if (standardizer.standardize(r, Instant.now()) instanceof RecordStandardizer.Accepted a) {
        clustering.add(MatchRecords.of(a.record()));
        accepted.add(r);
      }
    }
    for (SourceRecord r : accepted) {
      ingest.ingest(r);
    }

    int[] inMemory = new int[accepted.size()];
    int[] inHub = new int[accepted.size()];
    Map<Integer, Integer> firstOfMemoryMember = new HashMap<>();
    Map<UUID, Integer> firstOfHubMember = new HashMap<>();
    for (int i = 0; i < accepted.size(); i++) {
      SourceRecord r = accepted.get(i);
      UUID member =
          jdbc.queryForObject(
              "select member_id from source_record where source = ? and source_record_id = ?",
              UUID.class,
              r.source(),
              r.sourceRecordId());
      inHub[i] = firstOfHubMember.computeIfAbsent(member, m -> firstOfHubMember.size());
      inMemory[i] =
          firstOfMemoryMember.computeIfAbsent(
              clustering.memberOf(i), m -> firstOfMemoryMember.size());
    }
    assertThat(accepted).hasSizeGreaterThan(1_900);
    assertThat(firstOfHubMember.size())
        .as("the hub merged some of the records, or the comparison proves little")
        .isLessThan(accepted.size() - 200);
    assertThat(inHub).as("members, numbered by their first record").containsExactly(inMemory);
  }
}
