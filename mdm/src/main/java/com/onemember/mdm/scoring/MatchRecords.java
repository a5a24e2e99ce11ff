package com.onemember.mdm.scoring;

import com.onemember.canonical.Address;
import com.onemember.canonical.Identifier;
import com.onemember.mdm.standardize.PersonName;
import com.onemember.mdm.standardize.PersonNames;
import com.onemember.mdm.standardize.StandardizedRecord;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Builds the scorer's features from the hub's clean records. */
public final class MatchRecords {

  private MatchRecords() {}

  /**
   * The match features of a standardised record. A Chinese name is split into surname and given
   * name with their pinyin; a romanised name is read in Western order (Wei Wang: given Wei, surname
   * Wang), and the comparison's swap level covers the other order; a title such as 王先生 gives only a
   * surname.
   */
  public static MatchRecord of(StandardizedRecord r) {
    String given = null;
    String surname = null;
    String givenPinyin = null;
    String surnamePinyin = null;
    PersonName name = r.name();
    if (name != null) {
      if (name.surname() != null) {
        surname = name.surname();
        surnamePinyin = PersonNames.pinyin(surname);
        if (!name.titleOnly() && name.display().length() > surname.length()) {
          given = name.display().substring(surname.length());
          givenPinyin = PersonNames.pinyin(given);
        }
      } else if (name.pinyinKey() != null) {
        String[] words = name.display().toLowerCase(Locale.ROOT).trim().split("[\\s.'-]+");
        if (words.length == 1) {
          given = words[0];
        } else {
          given = words[0];
          surname = words[words.length - 1];
        }
        givenPinyin = given;
        surnamePinyin = surname;
      }
    }
    Set<String> mobiles = new HashSet<>();
    Set<String> emails = new HashSet<>();
    Set<String> unionids = new HashSet<>();
    for (Identifier id : r.identifiers()) {
      switch (id.type()) {
        case MOBILE -> mobiles.add(id.value());
        case EMAIL -> emails.add(id.value());
        case WECHAT_UNIONID -> unionids.add(id.value());
        default -> {}
      }
    }
    Address address = r.addresses().isEmpty() ? null : r.addresses().get(0);
    return new MatchRecord(
        r.source() + ":" + r.sourceRecordId(),
        given,
        surname,
        givenPinyin,
        surnamePinyin,
        r.birthday(),
        r.effectiveGender(),
        address == null ? null : address.city(),
        null,
        address == null ? null : address.line(),
        mobiles,
        emails,
        null,
        false,
        Set.copyOf(r.maskedMobiles()),
        unionids,
        name == null || name.surname() != null);
  }
}
