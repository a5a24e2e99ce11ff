package com.onemember.mdm.blocking;

import com.onemember.canonical.Identifier;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.standardize.Birthday;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The one key scheme of matching: the keys under which a record is found as a candidate for another
 * (blocking), under which the hub stores it ({@code match_key}) and serialises concurrent ingests
 * of the same person, and under which the benchmark's in-memory index groups records. One scheme,
 * so that what the benchmark measures is what the hub does.
 *
 * <p>Identifier keys name their type: {@code MOBILE:13812345678}, {@code EMAIL:…}, {@code
 * WECHAT_UNIONID:…}, and scoped source identifiers with their scope ({@code
 * MEMBER_CARD:pos-store-12:8800123}) so that card 1001 of one store does not meet card 1001 of
 * another. A national id number is sensitive: its key holds a digest that finds it, never the
 * number. Landlines and 400 numbers give no key: offices and shops share them. Names are keyed by
 * pinyin so homophones and romanised forms of one Chinese name fall into the same blocks; each
 * attribute key pairs two attributes so that one typo still leaves the pair sharing some other key.
 */
public final class MatchKeys {

  private MatchKeys() {}

  /** The key under which records holding mainland or E.164 mobile {@code number} are found. */
  public static String mobile(String number) {
    return "MOBILE:" + number;
  }

  /** The key of a scoped source identifier: {@code MEMBER_CARD:pos-store-12:8800123}. */
  private static String sourceKey(Identifier id) {
    return id.type() + ":" + Objects.requireNonNullElse(id.scope(), "") + ":" + id.value();
  }

  /** The record's keys, sorted, without duplicates. */
  public static List<String> of(MatchRecord r) {
    Set<String> keys = new java.util.TreeSet<>();
    String surname = first(r.surnamePinyin(), r.surname());
    String given = first(r.givenPinyin(), r.givenName());
    Birthday b = r.birthday();
    r.mobiles().forEach(m -> keys.add(mobile(m)));
    // masked numbers (138****5678) meet the full numbers they may stand for
    r.maskedForms().forEach(m -> keys.add("masked:" + m));
    r.unionids().forEach(u -> keys.add("WECHAT_UNIONID:" + u));
    r.emails().forEach(e -> keys.add("EMAIL:" + e));
    r.sourceIds().forEach(id -> keys.add(sourceKey(id)));
    if (present(r.idNumber())) {
      keys.add("NATIONAL_ID:" + digest(r.idNumber()));
    }
    if (present(surname) && present(given)) {
      keys.add("name:" + ordered(surname, given));
      if (!han(r.surname()) && !han(r.givenName())) {
        keys.add("given+surname1:" + given + "|" + initial(surname));
        // Keys for misspelt names. A name written in characters is keyed by its pinyin, which a
        // typo rarely changes (a homophone keeps it), and the first letters of pinyin names are
        // so few that these blocks would fill up with strangers.
        keys.add("surname+given1:" + surname + "|" + initial(given));
        // a typo late in either name: the first letters of both
        if (surname.length() >= 3 && given.length() >= 2) {
          keys.add("prefixes:" + surname.substring(0, 3) + "|" + given.substring(0, 2));
        }
        if (present(r.city())) {
          keys.add("city+initials:" + r.city() + "|" + initial(surname) + initial(given));
        }
        // Helen and Ellen, Catherine and Katherine: the ending survives a lost initial
        if (given.length() >= 4) {
          keys.add("surname+given-ending:" + surname + "|" + given.substring(given.length() - 3));
        }
      }
    }
    if (b != null) {
      if (present(given)) {
        keys.add("given+monthday:" + given + "|" + b.month() + "-" + b.day());
      }
      // survives a wrong year and a misspelt or missing given name
      if (present(surname)) {
        keys.add("surname+monthday:" + surname + "|" + b.month() + "-" + b.day());
      }
      if (b.hasYear()) {
        keys.add("birthday:" + b);
        keys.add("year+initials:" + b.year() + "|" + initial(surname) + initial(given));
      }
    }
    if (present(r.postcode()) && present(surname)) {
      keys.add("postcode+surname1:" + r.postcode() + "|" + initial(surname));
    }
    if (present(r.postcode()) && present(given)) {
      keys.add("postcode+given1:" + r.postcode() + "|" + initial(given));
    }
    // Either name part with a place or a year: survives a missing or misplaced other part.
    for (String token : new String[] {surname, given}) {
      if (!present(token) || han(r.surname()) || han(r.givenName())) {
        continue;
      }
      if (present(r.city())) {
        keys.add("token+city:" + token + "|" + r.city());
      }
      if (present(r.postcode())) {
        keys.add("token+postcode:" + token + "|" + r.postcode());
      }
      if (b != null && b.hasYear()) {
        keys.add("token+year:" + token + "|" + b.year());
      }
    }
    return List.copyOf(keys);
  }

  /** The first 128 bits of SHA-256, in hex: finds equal values without holding them. */
  private static String digest(String value) {
    try {
      byte[] hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean han(String s) {
    return s != null
        && !s.isEmpty()
        && Character.UnicodeScript.of(s.codePointAt(0)) == Character.UnicodeScript.HAN;
  }

  private static String ordered(String a, String b) {
    return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
  }

  private static String initial(String s) {
    return present(s) ? s.substring(0, 1) : "";
  }

  private static String first(String a, String b) {
    return present(a) ? a : b;
  }

  private static boolean present(String s) {
    return s != null && !s.isEmpty();
  }
}
