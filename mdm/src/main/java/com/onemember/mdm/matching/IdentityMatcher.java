package com.onemember.mdm.matching;

import com.onemember.canonical.Gender;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.mdm.standardize.PersonNames;
import com.onemember.mdm.standardize.StandardizedRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Matches on exact standardised identifiers. Scoped identifiers (unionid, openid, member card,
 * external id) are strong evidence on their own; a mobile number or e-mail is weak evidence that
 * merges only when nothing about the people contradicts it.
 */
public final class IdentityMatcher {

  private static final Set<IdentifierType> STRONG =
      Set.of(
          IdentifierType.WECHAT_UNIONID,
          IdentifierType.WECHAT_OPENID,
          IdentifierType.MEMBER_CARD,
          IdentifierType.EXTERNAL_ID);

  /**
   * Decides where {@code incoming} belongs among {@code candidates} (members that share at least
   * one key with it). The survivor of a multi-member join is the strongest-linked, then oldest,
   * member, so golden ids that systems already hold stay stable.
   */
  public MatchDecision decide(StandardizedRecord incoming, List<CandidateMember> candidates) {
    List<Fit> fits = new ArrayList<>();
    List<String> evidence = new ArrayList<>();
    for (CandidateMember candidate : candidates) {
      Fit fit = fit(incoming, candidate);
      evidence.addAll(fit.evidence());
      if (fit.joinable()) {
        fits.add(fit);
      }
    }
    if (fits.isEmpty()) {
      if (evidence.isEmpty()) {
        evidence.add("no stored member shares an identifier");
      }
      return new MatchDecision.NewMember(evidence);
    }
    fits.sort(
        Comparator.comparing((Fit f) -> !f.strong())
            .thenComparing(f -> f.member().createdAt())
            .thenComparing(f -> f.member().id()));
    Fit survivor = fits.get(0);
    List<StandardizedRecord> group = new ArrayList<>(survivor.member().records());
    group.add(incoming);
    List<UUID> absorbed = new ArrayList<>();
    for (Fit other : fits.subList(1, fits.size())) {
      boolean compatible =
          other.member().records().stream()
              .allMatch(r -> group.stream().allMatch(g -> conflict(r, g, other.strong()) == null));
      if (compatible) {
        absorbed.add(other.member().id());
        group.addAll(other.member().records());
        evidence.add(
            "record links member " + other.member().id() + " to " + survivor.member().id());
      } else {
        evidence.add(
            "member "
                + other.member().id()
                + " conflicts with member "
                + survivor.member().id()
                + "; not merged");
      }
    }
    return new MatchDecision.Join(survivor.member().id(), absorbed, evidence);
  }

  private record Fit(
      CandidateMember member, boolean joinable, boolean strong, List<String> evidence) {}

  private Fit fit(StandardizedRecord incoming, CandidateMember member) {
    List<String> evidence = new ArrayList<>();
    Set<Identifier> shared = new HashSet<>();
    for (StandardizedRecord r : member.records()) {
      for (Identifier id : r.identifiers()) {
        if (MatchKeys.of(id) != null && incoming.identifiers().contains(id)) {
          shared.add(id);
        }
      }
    }
    boolean strong = shared.stream().anyMatch(id -> STRONG.contains(id.type()));
    for (StandardizedRecord r : member.records()) {
      String why = conflict(incoming, r, strong);
      if (why != null) {
        evidence.add(
            "member "
                + member.id()
                + " shares "
                + describe(shared)
                + " but "
                + why
                + "; not merged");
        return new Fit(member, false, strong, evidence);
      }
    }
    if (shared.isEmpty()) {
      return new Fit(member, false, false, evidence);
    }
    evidence.add("same " + describe(shared) + " as member " + member.id());
    return new Fit(member, true, strong, evidence);
  }

  /**
   * Why two records cannot be the same person, or {@code null} if nothing contradicts it. Different
   * unionids always contradict; names, genders and birthdays only when the link is weak.
   */
  static String conflict(StandardizedRecord a, StandardizedRecord b, boolean strongLink) {
    Set<String> unionA = values(a, IdentifierType.WECHAT_UNIONID);
    Set<String> unionB = values(b, IdentifierType.WECHAT_UNIONID);
    if (!unionA.isEmpty() && !unionB.isEmpty() && unionA.stream().noneMatch(unionB::contains)) {
      return "their WeChat unionids differ";
    }
    if (strongLink) {
      return null;
    }
    if (PersonNames.compare(a.name(), b.name()) == PersonNames.Agreement.DIFFERENT) {
      return "names differ (" + a.name().display() + " / " + b.name().display() + ")";
    }
    Gender ga = a.effectiveGender();
    Gender gb = b.effectiveGender();
    if (ga != Gender.UNKNOWN && gb != Gender.UNKNOWN && ga != gb) {
      return "genders differ (" + ga + " / " + gb + ")";
    }
    if (a.birthday() != null && b.birthday() != null && !a.birthday().agreesWith(b.birthday())) {
      return "birthdays differ (" + a.birthday() + " / " + b.birthday() + ")";
    }
    return null;
  }

  private static Set<String> values(StandardizedRecord r, IdentifierType type) {
    Set<String> out = new HashSet<>();
    for (Identifier id : r.identifiers()) {
      if (id.type() == type) {
        out.add(id.value());
      }
    }
    return out;
  }

  private static String describe(Set<Identifier> ids) {
    return ids.stream()
        .map(id -> id.type() + " " + id.value())
        .sorted()
        .reduce((x, y) -> x + ", " + y)
        .orElse("no identifier");
  }
}
