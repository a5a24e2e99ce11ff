package com.onemember.mdm.ingest;

import static com.onemember.mdm.matching.Records.aRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.mdm.matching.CandidateMember;
import com.onemember.mdm.matching.MatchThresholds;
import com.onemember.mdm.matching.MemberDecision;
import com.onemember.mdm.matching.MemberMatcher;
import com.onemember.mdm.scoring.MatchModelText;
import com.onemember.mdm.scoring.MatchRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Ingest's decision stage decides from the candidate set alone: its candidates, the keys it did not
 * follow and the pairs a steward declared different people, with whichever model is active when it
 * decides.
 */
class RecordDecisionsTest {

  private static final MemberMatcher SHIPPED = shipped("shipped");

  private final AtomicReference<MemberMatcher> active = new AtomicReference<>(SHIPPED);
  private final RecordDecisions decisions = new RecordDecisions(active::get);

  private final MatchRecord wangwei =
      aRecord().name("王伟").mobile("13812345678").birthday("1985-06-01").features();
  private final MatchRecord wangweiAgain =
      aRecord().name("王玮").mobile("138-1234-5678").birthday("1985.6.1").features();

  @Test
  void aRecordJoinsTheCandidateItFitsAndTheDecisionNamesTheActiveModel() {
    CandidateMember member = member(wangwei);
    MemberDecision d = decisions.decide(wangweiAgain, set(List.of(member), Set.of(), List.of()));
    assertThat(d.memberId()).isEqualTo(member.id());
    assertThat(d.model()).isEqualTo("shipped");

    active.set(shipped("retrained 2026-12"));
    assertThat(decisions.decide(wangweiAgain, set(List.of(member), Set.of(), List.of())).model())
        .isEqualTo("retrained 2026-12");
  }

  @Test
  void twoMembersTheRecordBridgesAreMergedUnlessAStewardSeparatedThem() {
    CandidateMember first = member(wangwei);
    CandidateMember second = member(wangwei);
    MemberDecision bridged =
        decisions.decide(wangweiAgain, set(List.of(first, second), Set.of(), List.of()));
    assertThat(bridged.merges()).isTrue();
    assertThat(bridged.absorbed()).hasSize(1);

    MemberDecision kept =
        decisions.decide(
            wangweiAgain,
            set(
                List.of(first, second),
                Set.of(MemberSeparations.pair(first.id(), second.id())),
                List.of()));
    assertThat(kept.merges()).isTrue();
    assertThat(kept.absorbed()).isEmpty();
  }

  @Test
  void theKeysNotFollowedAreTheDecisionsEvidence() {
    MemberDecision d =
        decisions.decide(
            aRecord().name("张敏").features(),
            set(List.of(), Set.of(), List.of("name:zhangmin (5120 records)")));
    assertThat(d.merges()).isFalse();
    assertThat(d.skippedKeys()).containsExactly("name:zhangmin (5120 records)");
  }

  private static CandidateSet set(
      List<CandidateMember> members, Set<List<UUID>> separated, List<String> skipped) {
    return new CandidateSet(List.of(), skipped, members, separated);
  }

  private static CandidateMember member(MatchRecord... records) {
    return new CandidateMember(UUID.randomUUID(), Instant.now(), List.of(records));
  }

  private static MemberMatcher shipped(String version) {
    try (InputStream in = RecordDecisionsTest.class.getResourceAsStream("/mdm/match-model.tsv")) {
      return new MemberMatcher(
          MatchModelText.read(new String(in.readAllBytes(), StandardCharsets.UTF_8)),
          MatchThresholds.defaults(),
          version);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
