package com.onemember.mdm.blocking;

import com.onemember.mdm.scoring.Comparison;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.scoring.TrainingSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The training sessions of {@link com.onemember.mdm.scoring.ModelTrainer}: pairs sharing a mobile,
 * an e-mail, a name (by pinyin) or a full birthday. Every attribute is left out of at least one
 * session, so every attribute gets an estimate.
 */
public final class TrainingPairs {

  private final int maxGroup;
  private final int maxPairsPerSession;

  /**
   * @param maxGroup records taken from one key's group (a common name has thousands; the first
   *     {@code maxGroup} of them are enough to learn from)
   * @param maxPairsPerSession pairs kept per session
   */
  public TrainingPairs(int maxGroup, int maxPairsPerSession) {
    this.maxGroup = maxGroup;
    this.maxPairsPerSession = maxPairsPerSession;
  }

  public static TrainingPairs defaults() {
    return new TrainingPairs(50, 1_000_000);
  }

  public List<TrainingSession> sessions(List<MatchRecord> records) {
    List<TrainingSession> sessions = new ArrayList<>();
    sessions.add(session("mobile", Set.of(Comparison.MOBILE), records, r -> r.mobiles()));
    sessions.add(session("email", Set.of(Comparison.EMAIL), records, r -> r.emails()));
    sessions.add(
        session(
            "name",
            Set.of(Comparison.SURNAME, Comparison.GIVEN_NAME),
            records,
            r -> {
              String s = first(r.surnamePinyin(), r.surname());
              String g = first(r.givenPinyin(), r.givenName());
              return s == null || g == null ? Set.of() : Set.of(s + "|" + g);
            }));
    sessions.add(
        session(
            "birthday",
            Set.of(Comparison.BIRTHDAY),
            records,
            r ->
                r.birthday() == null || !r.birthday().hasYear()
                    ? Set.of()
                    : Set.of(r.birthday().toString())));
    return sessions;
  }

  private TrainingSession session(
      String name,
      Set<Comparison> blockedOn,
      List<MatchRecord> records,
      Function<MatchRecord, Set<String>> keys) {
    Map<String, List<Integer>> groups = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      for (String key : keys.apply(records.get(i))) {
        List<Integer> group = groups.computeIfAbsent(key, k -> new ArrayList<>(2));
        if (group.size() < maxGroup) {
          group.add(i);
        }
      }
    }
    List<int[]> pairs = new ArrayList<>();
    outer:
    for (List<Integer> group : groups.values()) {
      for (int x = 0; x < group.size(); x++) {
        for (int y = x + 1; y < group.size(); y++) {
          if (pairs.size() >= maxPairsPerSession) {
            break outer;
          }
          pairs.add(new int[] {group.get(x), group.get(y)});
        }
      }
    }
    return new TrainingSession(name, blockedOn, pairs);
  }

  private static String first(String a, String b) {
    return a != null && !a.isEmpty() ? a : b != null && !b.isEmpty() ? b : null;
  }
}
