package com.onemember.mdm.scoring;

import com.onemember.canonical.Gender;
import com.onemember.canonical.Identifier;
import com.onemember.mdm.standardize.Birthday;
import java.util.Set;

/**
 * The features of one record that the scorer compares, all standardised. Built from a hub record
 * ({@link MatchRecords#of}) or from a benchmark row; every field may be {@code null} (or empty)
 * when the source does not know it.
 *
 * @param givenName given name: pinyin-comparable text, lower case for romanised names
 * @param surname family name, same conventions
 * @param givenPinyin given name in toneless pinyin (equal to {@code givenName} for romanised
 *     names), so that homophones 伟/玮 compare as "same pinyin"
 * @param surnamePinyin family name in toneless pinyin
 * @param idNumber a national or social-security id as the source gave it
 * @param idVerified whether {@code idNumber} is known to be right (a resident id whose check digit
 *     holds): two different verified ids are two people, whatever else agrees
 * @param maskedMobiles numbers a platform masked, such as 138****5678: partial evidence only
 * @param unionids WeChat unionids: one per person across an operator's apps, so a different one
 *     rules a match out
 * @param nameOrderKnown false for a romanised name whose order the source does not tell (a web
 *     shop's "Wei Wang" or "WANG Wei"): comparisons then read it the way that fits the other name
 * @param sourceIds identifiers one source gives one customer, with their scope (a member card of
 *     pos-store-12, an openid of one WeChat app, a web shop's customer id): sharing one is the same
 *     person
 * @param verifiedMobiles those of {@code mobiles} the source system verified as the person's (a
 *     phone WeChat confirmed by SMS)
 */
public record MatchRecord(
    String id,
    String givenName,
    String surname,
    String givenPinyin,
    String surnamePinyin,
    Birthday birthday,
    Gender gender,
    String city,
    String postcode,
    String addressLine,
    Set<String> mobiles,
    Set<String> emails,
    String idNumber,
    boolean idVerified,
    Set<String> maskedMobiles,
    Set<String> unionids,
    boolean nameOrderKnown,
    Set<Identifier> sourceIds,
    Set<String> verifiedMobiles) {

  public MatchRecord {
    verifiedMobiles = verifiedMobiles == null ? Set.of() : Set.copyOf(verifiedMobiles);
    mobiles = mobiles == null ? Set.of() : Set.copyOf(mobiles);
    emails = emails == null ? Set.of() : Set.copyOf(emails);
    maskedMobiles = maskedMobiles == null ? Set.of() : Set.copyOf(maskedMobiles);
    unionids = unionids == null ? Set.of() : Set.copyOf(unionids);
    sourceIds = sourceIds == null ? Set.of() : Set.copyOf(sourceIds);
  }

  /**
   * A record without WeChat ids, masked numbers or a verified id, as the public benchmarks have.
   */
  public MatchRecord(
      String id,
      String givenName,
      String surname,
      String givenPinyin,
      String surnamePinyin,
      Birthday birthday,
      Gender gender,
      String city,
      String postcode,
      String addressLine,
      Set<String> mobiles,
      Set<String> emails,
      String idNumber) {
    this(
        id,
        givenName,
        surname,
        givenPinyin,
        surnamePinyin,
        birthday,
        gender,
        city,
        postcode,
        addressLine,
        mobiles,
        emails,
        idNumber,
        false,
        Set.of(),
        Set.of(),
        true,
        Set.of(),
        Set.of());
  }

  /** Every mobile number in its masked form (138****5678), full numbers included. */
  public Set<String> maskedForms() {
    if (mobiles.isEmpty()) {
      return maskedMobiles;
    }
    Set<String> all = new java.util.HashSet<>(maskedMobiles);
    for (String m : mobiles) {
      all.add(mask(m));
    }
    return all;
  }

  /** The platforms' mask of a mainland mobile: first three and last four digits. */
  public static String mask(String mobile) {
    return mobile.length() == 11 ? mobile.substring(0, 3) + "****" + mobile.substring(7) : mobile;
  }
}
