package com.onemember.mdm.ingest;

import com.onemember.mdm.matching.MemberDecision;
import com.onemember.mdm.matching.MemberMatcher;
import com.onemember.mdm.matchmodels.MatchEngine;
import com.onemember.mdm.scoring.MatchRecord;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Ingest's second stage: the decision for one record over its {@link CandidateSet}, made by the
 * active model's matcher. No database: what the decision depends on is in the set (its candidates,
 * the keys not followed, the pairs declared different people), so the same records and candidates
 * give the same decision wherever they were read from.
 */
@Component
public class RecordDecisions {

  /** The actor of these decisions in the merge log. */
  public static final String MATCHER = "matcher";

  private final Supplier<MemberMatcher> matcher;

  @org.springframework.beans.factory.annotation.Autowired
  public RecordDecisions(MatchEngine engine) {
    this(engine::matcher);
  }

  /** With the matcher {@code matcher} supplies at each decision (the active one may change). */
  public RecordDecisions(Supplier<MemberMatcher> matcher) {
    this.matcher = matcher;
  }

  public MemberDecision decide(MatchRecord features, CandidateSet found) {
    return matcher
        .get()
        .decide(features, found.members(), Set.of(), found.skipped(), found::separated);
  }
}
