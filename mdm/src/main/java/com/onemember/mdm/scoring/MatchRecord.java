package com.onemember.mdm.scoring;

import com.onemember.canonical.Gender;
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
 * @param idNumber a national or social-security id as the source gave it (not verified)
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
    String idNumber) {

  public MatchRecord {
    mobiles = mobiles == null ? Set.of() : Set.copyOf(mobiles);
    emails = emails == null ? Set.of() : Set.copyOf(emails);
  }
}
