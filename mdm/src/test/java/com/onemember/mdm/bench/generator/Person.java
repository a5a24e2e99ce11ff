package com.onemember.mdm.bench.generator;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The truth about one simulated person, from which each system's record is written with that
 * system's habits and errors. Only what the records are drawn from is kept.
 */
final class Person {

  final String id;
  final String household;
  final boolean male;
  final LocalDate birthday;
  final Names.Surname surname;
  final Names.GivenName given;
  final Places.Home home;
  final Places.Home previousHome;
  final Instant movedAt;

  /** The number the person usually gives; in a household, the number the family shares. */
  final String mobile;

  /** False for household members using a number that is registered to another member. */
  final boolean holdsMobile;

  /** A second number of the person's own (new job, old SIM), or {@code null}. */
  final String otherMobile;

  /** How often records carry {@link #otherMobile} instead of {@link #mobile}. */
  final double otherMobileShare;

  final String nickname;
  final String unionid;
  final String englishName;

  /** The WeChat app the person met the chain in first: the mini program or the official account. */
  final String firstWeChatApp;

  final Instant firstSeen;

  /** E-mail addresses, made when the person first shops online; one per web-shop account. */
  final List<String> emails = new ArrayList<>(1);

  Person(
      String id,
      String household,
      boolean male,
      LocalDate birthday,
      Names.Surname surname,
      Names.GivenName given,
      Places.Home home,
      Places.Home previousHome,
      Instant movedAt,
      String mobile,
      boolean holdsMobile,
      String otherMobile,
      double otherMobileShare,
      String nickname,
      String unionid,
      String englishName,
      String firstWeChatApp,
      Instant firstSeen) {
    this.id = id;
    this.household = household;
    this.male = male;
    this.birthday = birthday;
    this.surname = surname;
    this.given = given;
    this.home = home;
    this.previousHome = previousHome;
    this.movedAt = movedAt;
    this.mobile = mobile;
    this.holdsMobile = holdsMobile;
    this.otherMobile = otherMobile;
    this.otherMobileShare = otherMobileShare;
    this.nickname = nickname;
    this.unionid = unionid;
    this.englishName = englishName;
    this.firstWeChatApp = firstWeChatApp;
    this.firstSeen = firstSeen;
  }

  /** The name in simplified characters, as on the person's identity card. */
  String name() {
    return surname.han() + given.han();
  }

  /** Every real number of the person; a record's number outside this list is a typing error. */
  List<String> mobiles() {
    return otherMobile == null ? List.of(mobile) : List.of(mobile, otherMobile);
  }

  Places.Home homeAt(Instant when) {
    return previousHome != null && when.isBefore(movedAt) ? previousHome : home;
  }
}
