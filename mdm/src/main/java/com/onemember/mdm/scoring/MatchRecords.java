package com.onemember.mdm.scoring;

import com.onemember.canonical.Address;
import com.onemember.canonical.Identifier;
import com.onemember.mdm.standardize.PersonName;
import com.onemember.mdm.standardize.PersonNames;
import com.onemember.mdm.standardize.StandardizedRecord;
import com.onemember.mdm.standardize.address.Addresses;
import com.onemember.mdm.standardize.address.ChineseAddress;
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
        surnamePinyin = PersonNames.surnamePinyin(surname);
        if (!name.titleOnly() && name.display().length() > surname.length()) {
          given = name.display().substring(surname.length());
          givenPinyin = PersonNames.pinyin(given);
        }
      } else if (name.pinyinKey() != null) {
        String[] words = name.display().toLowerCase(Locale.ROOT).trim().split("[\\s.'-]+");
        if (words.length == 1) {
          given = words[0];
        } else if (words.length == 2) {
          given = words[0];
          surname = words[words.length - 1];
        } else {
          // "Ze Yong Zhao" or "Zhao Ze Yong": the given name is two syllables written apart
          boolean surnameFirst =
              COMMON_SURNAMES.contains(words[0])
                  && !COMMON_SURNAMES.contains(words[words.length - 1]);
          int from = surnameFirst ? 1 : 0;
          int to = surnameFirst ? words.length : words.length - 1;
          given = String.join("", java.util.Arrays.copyOfRange(words, from, to));
          surname = surnameFirst ? words[0] : words[words.length - 1];
        }
        givenPinyin = given;
        surnamePinyin = surname;
      }
    }
    Set<String> mobiles = new HashSet<>();
    Set<String> verifiedMobiles = new HashSet<>();
    Set<String> emails = new HashSet<>();
    Set<String> unionids = new HashSet<>();
    Set<Identifier> sourceIds = new HashSet<>();
    String nationalId = null;
    for (Identifier id : r.identifiers()) {
      switch (id.type()) {
        case MOBILE -> {
          mobiles.add(id.value());
          if (id.verified()) {
            verifiedMobiles.add(id.value());
          }
        }
        case EMAIL -> emails.add(id.value());
        case WECHAT_UNIONID -> unionids.add(id.value());
        case NATIONAL_ID -> nationalId = id.value();
        case WECHAT_OPENID, MEMBER_CARD, EXTERNAL_ID -> sourceIds.add(id);
        case LANDLINE -> {}
      }
    }
    Address address = r.addresses().isEmpty() ? null : r.addresses().get(0);
    String city = address == null ? null : address.city();
    String line = address == null ? null : address.line();
    if (address != null) {
      // 杭州 and 杭州市 are one city, 文鼎苑34幢2单元1404室 and 文鼎苑34-2-1404 one flat
      ChineseAddress parsed =
          Addresses.orNull(
              String.join(
                  "",
                  nonNull(address.province()),
                  nonNull(address.city()),
                  nonNull(address.district()),
                  nonNull(address.line())));
      if (parsed != null) {
        city = parsed.city() != null ? parsed.city() : city;
        line = parsed.detailKey() != null ? parsed.detailKey() : line;
      }
    }
    return new MatchRecord(
        r.source() + ":" + r.sourceRecordId(),
        given,
        surname,
        givenPinyin,
        surnamePinyin,
        r.birthday(),
        r.effectiveGender(),
        city,
        null,
        line,
        mobiles,
        emails,
        nationalId,
        nationalId != null, // standardised ids passed their check digit
        Set.copyOf(r.maskedMobiles()),
        unionids,
        name == null || name.surname() != null,
        sourceIds,
        verifiedMobiles);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  /**
   * The pinyin of the most common Chinese surnames: in a romanised name of three words, the end
   * that is one of them (and the other end is not) is the surname.
   */
  private static final Set<String> COMMON_SURNAMES =
      Set.of(
          "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun",
          "ma", "zhu", "hu", "guo", "he", "gao", "lin", "luo", "zheng", "liang", "xie", "song",
          "tang", "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong", "pan",
          "yuan", "cai", "jiang", "yu", "du", "ye", "cheng", "wei", "su", "lu", "ding", "ren",
          "shen", "yao", "jin", "fu", "zhong", "tan", "fan", "wan", "qian", "dai", "xia", "bai",
          "qiu", "meng", "xiong", "qin", "hou", "xue", "yan", "lei", "long", "duan", "hao", "kong",
          "shao", "shi", "mao", "chang", "wen", "kang", "jia", "gu", "niu", "qiao", "yin", "gong",
          "ou", "mo");
}
