package com.onemember.mdm.bench.generator;

import com.onemember.canonical.Address;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One run of the generator: draws people and households, then writes each person's records in the
 * manner of the system that holds them. All randomness comes from one seeded stream consumed in a
 * fixed order, so a seed always gives the same population.
 */
final class Simulation {

  static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  static final Instant START = LocalDate.of(2023, 1, 1).atStartOfDay(CHINA).toInstant();
  static final Instant END = LocalDate.of(2026, 10, 31).atStartOfDay(CHINA).toInstant();

  static final String MINI_PROGRAM = "wx8a3f2c1d5e6b7a90";
  static final String OFFICIAL_ACCOUNT = "wx3c9e7d1b5a2f4086";

  /**
   * Share of draws that are a household rather than one person; with households of 2.3 people on
   * average, about 8% of people live in one.
   */
  private static final double HOUSEHOLD_DRAW = 0.04;

  /** Records per person: most members are known to one system, a few to four or five. */
  private static final Weighted<Integer> RECORDS_PER_PERSON =
      new Weighted<>(List.of(1, 2, 3, 4, 5), new double[] {0.52, 0.24, 0.13, 0.08, 0.03});

  /** Birth decades of retail members, 1950s to 2000s; the bulk was born 1975–1999. */
  private static final Weighted<Integer> BIRTH_DECADE =
      new Weighted<>(
          List.of(1950, 1960, 1970, 1980, 1990, 2000), new double[] {4, 10, 18, 30, 28, 10});

  /**
   * Mobile prefixes weighted roughly by subscribers: the old 13x ranges of China Mobile lead. 174
   * is left out: only 1740x is assigned (satellite), so random numbers there are not valid.
   */
  private static final Weighted<Integer> MOBILE_PREFIX;

  private static final Weighted<String> EMAIL_DOMAIN =
      new Weighted<>(
          List.of(
              "qq.com",
              "163.com",
              "126.com",
              "gmail.com",
              "sina.com",
              "hotmail.com",
              "outlook.com",
              "foxmail.com"),
          new double[] {35, 28, 12, 7, 6, 5, 4, 3});

  private static final String ID_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  static {
    String spec =
        "138:8,139:8,135:6,136:6,137:6,134:3,150:5,151:5,152:4,158:5,159:5,157:2,187:5,188:4,"
            + "182:3,183:3,184:1,178:2,130:4,131:3,132:3,155:3,156:3,185:3,186:6,166:2,175:2,"
            + "176:3,171:1,133:3,153:3,180:3,181:3,189:5,177:2,173:2,199:3,191:1,170:1,193:1,"
            + "195:1,196:1,197:1,198:2,172:1";
    List<Integer> prefixes = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (String entry : spec.split(",")) {
      String[] f = entry.split(":");
      prefixes.add(Integer.parseInt(f[0]));
      weights.add(Double.parseDouble(f[1]));
    }
    MOBILE_PREFIX =
        new Weighted<>(prefixes, weights.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** A store till with the conventions its vendor or its staff settled on. */
  private static final class Till {
    final String source;
    final Places.City city;
    final int code;
    final boolean numericGender;
    final Formats.Date dateLayout;
    final Formats.Phone phoneLayout;
    int nextCard;

    Till(String source, Places.City city, int code, SplittableRandom rng) {
      this.source = source;
      this.city = city;
      this.code = code;
      this.numericGender = rng.nextDouble() < 0.4;
      Formats.Date[] dates = {
        Formats.Date.ISO,
        Formats.Date.SLASHED,
        Formats.Date.COMPACT,
        Formats.Date.DOTTED,
        Formats.Date.CHINESE
      };
      this.dateLayout = dates[rng.nextInt(dates.length)];
      this.phoneLayout = rng.nextDouble() < 0.6 ? Formats.Phone.PLAIN : Formats.Phone.DASHED;
      this.nextCard = 1_000 + rng.nextInt(40_000);
    }
  }

  /** A store's member sheet. */
  private static final class Sheet {
    final String source;
    final Places.City city;
    int nextRow = 1;

    Sheet(String source, Places.City city) {
      this.source = source;
      this.city = city;
    }
  }

  private final SplittableRandom rng;
  private final List<Till> tills = new ArrayList<>();
  private final List<Sheet> sheets = new ArrayList<>();
  private final Set<Long> mobilesInUse = new HashSet<>();
  private final Set<String> emailsInUse = new HashSet<>();
  private final Set<String> webShopPhones = new HashSet<>();
  private int people;
  private int households;
  private int nextWebCustomer;

  Simulation(long seed) {
    this.rng = new SplittableRandom(seed);
    int[] tillsPerCity = {6, 4, 3, 3, 4};
    int code = 1;
    for (int c = 0; c < Places.CITIES.size(); c++) {
      for (int i = 0; i < tillsPerCity[c]; i++, code++) {
        tills.add(new Till(String.format("pos-store-%02d", code), Places.CITIES.get(c), code, rng));
      }
    }
    String[] sheetNames = {"sh-02", "sh-05", "hz-03", "hz-07", "sz-01", "nj-04", "nj-06", "bj-03"};
    for (String name : sheetNames) {
      String cityCode = name.substring(0, 2);
      Places.City city =
          Places.CITIES.stream().filter(c -> c.code().equals(cityCode)).findFirst().orElseThrow();
      sheets.add(new Sheet("store-" + name, city));
    }
    nextWebCustomer = 10_000 + rng.nextInt(50_000);
  }

  Population run(int target) {
    List<GeneratedRecord> records = new ArrayList<>(target);
    List<Person> described = new ArrayList<>();
    while (records.size() < target) {
      for (Person person : draw()) {
        int before = records.size();
        Map<SourceShape, Integer> seen = new EnumMap<>(SourceShape.class);
        for (SourceShape shape : shapes(person, RECORDS_PER_PERSON.pick(rng))) {
          if (records.size() >= target) {
            break;
          }
          int repeat = seen.merge(shape, 1, Integer::sum) - 1;
          records.add(
              new GeneratedRecord(
                  person.id, person.household, shape, record(person, shape, repeat)));
        }
        if (records.size() > before) {
          described.add(person);
        }
      }
    }
    records.sort(Comparator.comparing(r -> r.record().sourceUpdatedAt()));
    return new Population(records, described);
  }

  // ---- people and households ----

  /** Who a household member is, before the rest of the person is drawn. */
  private record Member(boolean male, int birthYear, Names.Surname surname) {}

  /**
   * One person living alone, or the members of a household sharing the first member's mobile: a
   * couple (wives keep their own surname), a parent with an adult child, or both parents with one.
   */
  private List<Person> draw() {
    Places.City city = Places.MEMBER_CITIES.pick(rng);
    boolean east = east(city);
    Places.Home home = Places.home(rng, city);
    Places.Home previous = null;
    Instant movedAt = null;
    if (rng.nextDouble() < 0.07) {
      // most moves stay in town; some people came from another city
      previous = Places.home(rng, rng.nextDouble() < 0.3 ? Places.MEMBER_CITIES.pick(rng) : city);
      movedAt = between(START, END);
    }
    if (rng.nextDouble() >= HOUSEHOLD_DRAW) {
      Member alone = new Member(rng.nextDouble() < 0.4, birthYear(), Names.surname(rng, east));
      return List.of(person(null, alone, home, previous, movedAt, null, true, new HashSet<>()));
    }
    String household = String.format("h%05d", ++households);
    List<Member> family = new ArrayList<>(3);
    double kind = rng.nextDouble();
    if (kind < 0.56) {
      int husband = birthYear();
      int wife = Math.min(2004, husband + (int) Math.round(rng.nextDouble() * 6 - 1));
      family.add(new Member(true, husband, Names.surname(rng, east)));
      family.add(new Member(false, wife, Names.surname(rng, east)));
    } else {
      int child = 1976 + rng.nextInt(31);
      Names.Surname father = Names.surname(rng, east);
      Names.Surname mother = Names.surname(rng, east);
      int fatherYear = child - 23 - rng.nextInt(12);
      int motherYear = Math.min(fatherYear + rng.nextInt(6), child - 21);
      boolean bothParents = kind >= 0.86;
      boolean fatherJoins = bothParents || rng.nextDouble() < 0.45;
      if (fatherJoins) {
        family.add(new Member(true, fatherYear, father));
      }
      if (bothParents || !fatherJoins) {
        family.add(new Member(false, motherYear, mother));
      }
      family.add(
          new Member(rng.nextDouble() < 0.45, child, rng.nextDouble() < 0.9 ? father : mother));
    }
    int owner = rng.nextInt(family.size() == 3 ? 2 : family.size());
    String shared = newMobile();
    Set<String> names = new HashSet<>();
    List<Person> members = new ArrayList<>(family.size());
    for (int i = 0; i < family.size(); i++) {
      Member member = family.get((owner + i) % family.size());
      members.add(person(household, member, home, previous, movedAt, shared, i == 0, names));
    }
    return members;
  }

  /**
   * One person. In a household the first member (the owner) holds the shared number as their own;
   * the others use it too, and about a third also have a number of their own.
   *
   * @param sharedMobile the household's number, {@code null} for someone living alone
   * @param takenNames the names already given in the household, so that members differ
   */
  private Person person(
      String household,
      Member member,
      Places.Home home,
      Places.Home previousHome,
      Instant movedAt,
      String sharedMobile,
      boolean owner,
      Set<String> takenNames) {
    boolean male = member.male();
    int birthYear = member.birthYear();
    Names.Surname surname = member.surname();
    LocalDate newYear = LocalDate.of(birthYear, 1, 1);
    LocalDate birthday = newYear.plusDays(rng.nextInt(newYear.lengthOfYear()));
    Names.GivenName given = Names.given(rng, male, birthYear);
    while (!takenNames.add(surname.han() + given.han())) {
      given = Names.given(rng, male, birthYear);
    }
    Instant firstSeen = between(START, END.minus(Duration.ofDays(30)));
    String mobile = sharedMobile == null ? newMobile() : sharedMobile;
    String other = null;
    double otherShare = 0;
    if (owner && rng.nextDouble() < 0.06) {
      other = newMobile();
      otherShare = 0.4;
    } else if (!owner && rng.nextDouble() < 0.35) {
      other = newMobile();
      otherShare = 0.5;
    }
    String nickname = nickname(male);
    String unionid = rng.nextDouble() < 0.8 ? "o6_bm" + randomId(23) : null;
    String english = null;
    if (birthYear >= 1975 && rng.nextDouble() < 0.1) {
      List<String> names = male ? Names.MALE_ENGLISH : Names.FEMALE_ENGLISH;
      english = names.get(rng.nextInt(names.size()));
    }
    return new Person(
        String.format("p%06d", ++people),
        household,
        male,
        birthday,
        surname,
        given,
        home,
        previousHome,
        movedAt,
        mobile,
        owner,
        other,
        otherShare,
        nickname,
        unionid,
        english,
        rng.nextDouble() < 0.85 ? MINI_PROGRAM : OFFICIAL_ACCOUNT,
        firstSeen);
  }

  private static boolean east(Places.City city) {
    return !city.code().equals("bj");
  }

  private int birthYear() {
    int decade = BIRTH_DECADE.pick(rng);
    return decade + rng.nextInt(decade == 2000 ? 7 : 10);
  }

  private String newMobile() {
    long number;
    do {
      number = MOBILE_PREFIX.pick(rng) * 100_000_000L + rng.nextInt(100_000_000);
    } while (!mobilesInUse.add(number));
    return Long.toString(number);
  }

  private String nickname(boolean male) {
    List<String> list =
        rng.nextDouble() < 0.3
            ? Names.ANY_NICKNAMES
            : male ? Names.MALE_NICKNAMES : Names.FEMALE_NICKNAMES;
    return list.get(rng.nextInt(list.size()));
  }

  /**
   * The systems a person's records come from: mostly distinct systems, sometimes a second record in
   * one (a second card, a second web account, the official account next to the mini program).
   * Families shop together in stores, so household members lean towards tills and store sheets,
   * where one of them gives the family number for the other.
   */
  private List<SourceShape> shapes(Person p, int count) {
    int year = p.birthday.getYear();
    // in the order of SourceShape: POS, WEB_SHOP, WECHAT_MINI_PROGRAM, STORE_SHEET
    double[] weight = {0.36, 0.18, 0.30, 0.16};
    if (year < 1965) {
      weight[1] *= 0.3;
      weight[2] *= 0.7;
    } else if (year >= 1995) {
      weight[1] *= 1.5;
      weight[3] *= 0.6;
    }
    if (p.household != null) {
      weight[0] *= 1.5;
      weight[3] *= 1.5;
    }
    SourceShape[] all = SourceShape.values();
    int[] used = new int[all.length];
    List<SourceShape> out = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      boolean repeat = n > 0 && rng.nextDouble() < 0.18;
      int chosen = -1;
      if (!repeat) {
        chosen = weightedAmong(weight, used, 0);
      }
      if (chosen < 0) {
        chosen = weightedAmong(weight, used, 1);
      }
      if (chosen < 0) {
        chosen = weightedAmong(weight, used, 0);
      }
      if (chosen < 0) {
        break;
      }
      used[chosen]++;
      out.add(all[chosen]);
    }
    return out;
  }

  /** A weighted choice among the shapes used exactly {@code times} times, or -1. */
  private int weightedAmong(double[] weight, int[] used, int times) {
    double total = 0;
    for (int i = 0; i < weight.length; i++) {
      total += used[i] == times ? weight[i] : 0;
    }
    if (total == 0) {
      return -1;
    }
    double x = rng.nextDouble() * total;
    for (int i = 0; i < weight.length; i++) {
      if (used[i] == times) {
        x -= weight[i];
        if (x < 0) {
          return i;
        }
      }
    }
    for (int i = weight.length - 1; i >= 0; i--) {
      if (used[i] == times) {
        return i;
      }
    }
    return -1;
  }

  // ---- records ----

  /**
   * One record of the person as the system of {@code shape} holds it, last changed some time in the
   * 30 months after the person first became a member.
   *
   * @param repeat how many records of this shape the person already has: 1 for a second web-shop
   *     account or the second WeChat app
   */
  private SourceRecord record(Person p, SourceShape shape, int repeat) {
    Instant when = between(p.firstSeen, min(END, p.firstSeen.plus(Duration.ofDays(900))));
    return switch (shape) {
      case POS -> pos(p, when);
      case WEB_SHOP -> webShop(p, when, repeat);
      case WECHAT_MINI_PROGRAM -> weChat(p, when, repeat);
      case STORE_SHEET -> storeSheet(p, when);
    };
  }

  private SourceRecord pos(Person p, Instant when) {
    Till till =
        rng.nextDouble() < 0.85 ? tillIn(p.home.city()) : tills.get(rng.nextInt(tills.size()));
    till.nextCard += 1 + rng.nextInt(3);
    String card = String.format("8800%02d%06d", till.code, till.nextCard);
    String name = rng.nextDouble() < 0.01 ? null : clerkName(p, 0.05, 0.01);
    String phone = null;
    if (rng.nextDouble() < 0.97) {
      String number = pickMobile(p, SourceShape.POS);
      if (rng.nextDouble() < 0.025) {
        number = Formats.mistyped(rng, number);
      }
      Formats.Phone layout =
          rng.nextDouble() < 0.65
              ? till.phoneLayout
              : anyOf(
                  Formats.Phone.PLAIN,
                  Formats.Phone.DASHED,
                  Formats.Phone.SPACED,
                  Formats.Phone.PLUS_86_SPACED,
                  Formats.Phone.DASH_86);
      phone = Formats.phone(number, layout);
      if (rng.nextDouble() < 0.01) {
        phone = Formats.fullWidthDigits(phone);
      }
    }
    String gender = null;
    if (rng.nextDouble() >= 0.04) {
      boolean male = rng.nextDouble() < 0.007 ? !p.male : p.male;
      gender = till.numericGender ? (male ? "1" : "2") : (male ? "男" : "女");
    }
    String birthday = null;
    if (rng.nextDouble() >= 0.30) {
      // a till that insists on a birthday gets a placeholder; a few clerks swap day and month
      double u = rng.nextDouble();
      LocalDate date = p.birthday;
      if (u < 0.01) {
        date = rng.nextDouble() < 0.5 ? LocalDate.of(1900, 1, 1) : LocalDate.of(1970, 1, 1);
      } else if (u < 0.02
          && date.getDayOfMonth() <= 12
          && date.getDayOfMonth() != date.getMonthValue()) {
        date = LocalDate.of(date.getYear(), date.getDayOfMonth(), date.getMonthValue());
      }
      Formats.Date layout;
      double v = rng.nextDouble();
      if (v < 0.7) {
        layout = till.dateLayout;
      } else if (v < 0.97) {
        layout =
            anyOf(
                Formats.Date.ISO,
                Formats.Date.SLASHED,
                Formats.Date.COMPACT,
                Formats.Date.DOTTED,
                Formats.Date.CHINESE);
      } else {
        layout = Formats.Date.MONTH_DAY;
      }
      birthday = Formats.date(date, layout);
    }
    Address address = null;
    if (rng.nextDouble() < 0.55) {
      Places.Home home = p.homeAt(when);
      Places.City city = home.city();
      String province = rng.nextDouble() < 0.85 ? city.province() : city.shortProvince();
      String cityName =
          city.municipality() && rng.nextDouble() < 0.2
              ? null
              : rng.nextDouble() < 0.85 ? city.city() : city.shortCity();
      String district = rng.nextDouble() < 0.9 ? home.district().name() : null;
      address = new Address(province, cityName, district, home.line(rng.nextDouble() < 0.2));
    }
    int points = (int) (-Math.log(1 - rng.nextDouble()) * 1500);
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("会员卡号", card);
    raw.put("姓名", text(name));
    raw.put("手机号", text(phone));
    raw.put("性别", text(gender));
    raw.put("生日", text(birthday));
    raw.put("省份", address == null ? "" : text(address.province()));
    raw.put("城市", address == null ? "" : text(address.city()));
    raw.put("区县", address == null ? "" : text(address.district()));
    raw.put("地址", address == null ? "" : address.line());
    raw.put("积分", Integer.toString(points));
    List<Identifier> ids = new ArrayList<>(2);
    ids.add(new Identifier(IdentifierType.MEMBER_CARD, card, till.source));
    if (phone != null) {
      ids.add(Identifier.of(IdentifierType.MOBILE, phone));
    }
    return new SourceRecord(
        till.source,
        card,
        when,
        name,
        null,
        gender,
        birthday,
        ids,
        address == null ? List.of() : List.of(address),
        List.of(),
        List.of(),
        null,
        raw);
  }

  private SourceRecord webShop(Person p, Instant when, int repeat) {
    nextWebCustomer += 1 + rng.nextInt(9);
    String customerId = "shopify-" + nextWebCustomer;
    String first;
    String last;
    double form = rng.nextDouble();
    String surname = p.surname.pinyin();
    if (form < 0.15) {
      String han = clerkName(p, 0.01, 0.005);
      int surnameLength = p.surname.han().length();
      if (rng.nextDouble() < 0.7 && han.length() > surnameLength) {
        first = han.substring(surnameLength);
        last = han.substring(0, surnameLength);
      } else {
        first = han;
        last = "";
      }
    } else if (p.englishName != null && form < 0.5) {
      first = p.englishName;
      last = surname;
    } else {
      String given = romanisedGiven(p.given);
      double order = rng.nextDouble();
      if (order < 0.55) {
        first = given;
        last = surname;
      } else if (order < 0.70) {
        first = given.toUpperCase(Locale.ROOT);
        last = surname.toUpperCase(Locale.ROOT);
      } else if (order < 0.95) {
        first = surname;
        last = given;
      } else {
        first = given.toLowerCase(Locale.ROOT);
        last = surname.toLowerCase(Locale.ROOT);
      }
    }
    boolean han =
        !first.isEmpty()
            && Character.UnicodeScript.of(first.codePointAt(0)) == Character.UnicodeScript.HAN;
    String name = han ? last + first : (first + " " + last).trim();
    String email = writtenEmail(emailFor(p, repeat));
    String phone = null;
    if (rng.nextDouble() < 0.9) {
      String number = pickMobile(p, SourceShape.WEB_SHOP);
      if (rng.nextDouble() < 0.01) {
        number = Formats.mistyped(rng, number);
      }
      if (webShopPhones.add(number)) {
        phone = Formats.phone(number, Formats.Phone.E164);
      }
    }
    Address address = null;
    if (rng.nextDouble() < 0.8) {
      // web orders often go to the office or to family, sometimes in another city
      Places.Home home =
          rng.nextDouble() < 0.12
              ? Places.home(rng, Places.MEMBER_CITIES.pick(rng))
              : p.homeAt(when);
      Places.City city = home.city();
      double script = rng.nextDouble();
      String cityName =
          script < 0.6 ? city.city() : script < 0.8 ? city.shortCity() : city.cityPinyin();
      String province =
          script < 0.6
              ? city.province()
              : script < 0.8 ? city.shortProvince() : city.provincePinyin();
      String line = home.line(rng.nextDouble() < 0.15);
      if (rng.nextDouble() < 0.3) {
        line = home.district().name() + line;
      }
      address = new Address(province, cityName, null, line);
    }
    int orders = 1 + (int) (-Math.log(1 - rng.nextDouble()) * 3);
    String spent = String.format(Locale.ROOT, "%.2f", orders * (80 + rng.nextDouble() * 600));
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("Customer ID", customerId);
    raw.put("First Name", first);
    raw.put("Last Name", last);
    raw.put("Email", email);
    raw.put("Phone", text(phone));
    raw.put("Address1", address == null ? "" : address.line());
    raw.put("City", address == null ? "" : address.city());
    raw.put("Province", address == null ? "" : address.province());
    raw.put("Total Spent", spent);
    raw.put("Total Orders", Integer.toString(orders));
    List<Identifier> ids = new ArrayList<>(3);
    ids.add(new Identifier(IdentifierType.EXTERNAL_ID, customerId, "web-shop"));
    ids.add(Identifier.of(IdentifierType.EMAIL, email));
    if (phone != null) {
      ids.add(Identifier.of(IdentifierType.MOBILE, phone));
    }
    return new SourceRecord(
        "web-shop",
        customerId,
        when,
        name,
        null,
        null,
        null,
        ids,
        address == null ? List.of() : List.of(address),
        List.of(),
        List.of(),
        null,
        raw);
  }

  private SourceRecord weChat(Person p, Instant when, int repeat) {
    boolean miniProgram = (repeat == 0) == p.firstWeChatApp.equals(MINI_PROGRAM);
    String app = miniProgram ? MINI_PROGRAM : OFFICIAL_ACCOUNT;
    String openid = (miniProgram ? "oW3x_5" : "ogT2k0") + randomId(22);
    String nickname = miniProgram && rng.nextDouble() < 0.3 ? Names.DEFAULT_NICKNAME : p.nickname;
    String name = miniProgram && rng.nextDouble() < 0.3 ? clerkName(p, 0.02, 0.005) : null;
    String phone = null;
    double u = rng.nextDouble();
    if (miniProgram ? u < 0.65 : u < 0.25) {
      phone = Formats.masked(pickMobile(p, SourceShape.WECHAT_MINI_PROGRAM));
    } else if (miniProgram && u < 0.90) {
      phone = pickMobile(p, SourceShape.WECHAT_MINI_PROGRAM);
    }
    String gender;
    if (rng.nextDouble() < (miniProgram ? 0.55 : 0.3)) {
      gender = "0";
    } else {
      gender = p.male ? "1" : "2";
    }
    String birthday =
        miniProgram && rng.nextDouble() < 0.1 ? Formats.date(p.birthday, Formats.Date.ISO) : null;
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("openid", openid);
    raw.put("unionid", text(p.unionid));
    raw.put("昵称", nickname);
    raw.put("手机号", text(phone));
    raw.put("性别", gender);
    raw.put("生日", text(birthday));
    raw.put("姓名", text(name));
    raw.put("appid", app);
    List<Identifier> ids = new ArrayList<>(3);
    ids.add(new Identifier(IdentifierType.WECHAT_OPENID, openid, app));
    if (p.unionid != null) {
      ids.add(Identifier.of(IdentifierType.WECHAT_UNIONID, p.unionid));
    }
    if (phone != null) {
      ids.add(Identifier.of(IdentifierType.MOBILE, phone));
    }
    return new SourceRecord(
        "wechat-mp",
        openid,
        when,
        name,
        nickname,
        gender,
        birthday,
        ids,
        List.of(),
        List.of(),
        List.of(),
        null,
        raw);
  }

  private SourceRecord storeSheet(Person p, Instant when) {
    Sheet sheet =
        rng.nextDouble() < 0.85 ? sheetIn(p.home.city()) : sheets.get(rng.nextInt(sheets.size()));
    int row = sheet.nextRow++;
    String name;
    if (rng.nextDouble() < 0.45) {
      name = p.surname.han() + title(p);
    } else {
      name = clerkName(p, 0.05, 0.005);
      if (name.length() == 2 && rng.nextDouble() < 0.01) {
        name = name.charAt(0) + "  " + name.charAt(1);
      }
    }
    String phone = null;
    if (rng.nextDouble() < 0.95) {
      String number = pickMobile(p, SourceShape.STORE_SHEET);
      if (rng.nextDouble() < 0.03) {
        number = Formats.mistyped(rng, number);
      }
      double layout = rng.nextDouble();
      phone =
          layout < 0.45
              ? number
              : layout < 0.75
                  ? Formats.phone(number, Formats.Phone.SPACED)
                  : layout < 0.95
                      ? Formats.phone(number, Formats.Phone.DASHED)
                      : number.substring(0, 7) + " " + number.substring(7);
      if (rng.nextDouble() < 0.01) {
        phone = Formats.fullWidthDigits(phone);
      }
    }
    String gender = null;
    if (rng.nextDouble() >= 0.35) {
      gender = (rng.nextDouble() < 0.005 ? !p.male : p.male) ? "男" : "女";
    }
    String birthday = null;
    double b = rng.nextDouble();
    if (b < 0.40) {
      birthday =
          Formats.date(
              p.birthday,
              rng.nextDouble() < 0.8 ? Formats.Date.MONTH_DAY : Formats.Date.MONTH_DAY_DASHED);
    } else if (b < 0.65) {
      birthday =
          Formats.date(
              p.birthday,
              anyOf(Formats.Date.DOTTED, Formats.Date.SLASHED, Formats.Date.ISO, Formats.Date.US));
    }
    String remark =
        rng.nextDouble() < 0.25 ? Names.REMARKS.get(rng.nextInt(Names.REMARKS.size())) : "";
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("门店", sheet.source);
    raw.put("序号", Integer.toString(row));
    raw.put("姓名", name);
    raw.put("电话", text(phone));
    raw.put("性别", text(gender));
    raw.put("生日", text(birthday));
    raw.put("备注", remark);
    return new SourceRecord(
        sheet.source,
        "row-" + row,
        when,
        name,
        null,
        gender,
        birthday,
        phone == null ? List.of() : List.of(Identifier.of(IdentifierType.MOBILE, phone)),
        List.of(),
        List.of(),
        List.of(),
        null,
        raw);
  }

  // ---- helpers ----

  /** The Chinese name as somebody typed it: now and then a homophone, rarely traditional. */
  private String clerkName(Person p, double typo, double traditional) {
    String name = p.name();
    double u = rng.nextDouble();
    if (u < typo) {
      return Names.homophoneTypo(rng, name, p.surname.han().length());
    }
    if (u < typo + traditional) {
      return Names.traditional(name);
    }
    return name;
  }

  private String title(Person p) {
    double u = rng.nextDouble();
    if (p.male) {
      return u < 0.9 ? "先生" : u < 0.95 ? "总" : "老师";
    }
    int year = p.birthday.getYear();
    if (year < 1970 && u < 0.3) {
      return "阿姨";
    }
    if (year >= 1985 && u < 0.35) {
      return "小姐";
    }
    return u < 0.93 ? "女士" : u < 0.97 ? "太太" : "老师";
  }

  private String romanisedGiven(Names.GivenName given) {
    if (given.syllables().size() == 1) {
      return Names.capitalised(given.syllables().get(0));
    }
    double u = rng.nextDouble();
    if (u < 0.8) {
      return Names.capitalised(given.romanised());
    }
    StringBuilder sb = new StringBuilder();
    for (String s : given.syllables()) {
      if (u >= 0.9 && sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(Names.capitalised(s));
    }
    return sb.toString();
  }

  /**
   * The number a record carries. Someone with a second number gives either; a household member with
   * a number of their own gives the family's at the till and in the store sheet, and their own to
   * the web shop and WeChat, which are personal accounts.
   */
  private String pickMobile(Person p, SourceShape shape) {
    if (p.otherMobile == null) {
      return p.mobile;
    }
    double share = p.otherMobileShare;
    if (p.household != null && !p.holdsMobile) {
      share = shape == SourceShape.POS || shape == SourceShape.STORE_SHEET ? 0.15 : 0.8;
    }
    return rng.nextDouble() < share ? p.otherMobile : p.mobile;
  }

  /** The address for the person's n-th web-shop account, made unique across the population. */
  private String emailFor(Person p, int account) {
    while (p.emails.size() <= account) {
      String candidate = newEmail(p);
      while (!emailsInUse.add(candidate)) {
        int at = candidate.indexOf('@');
        candidate = candidate.substring(0, at) + rng.nextInt(10) + candidate.substring(at);
      }
      p.emails.add(candidate);
    }
    return p.emails.get(account);
  }

  private String newEmail(Person p) {
    String surname = p.surname.pinyin().toLowerCase(Locale.ROOT);
    String given = p.given.romanised();
    int year = p.birthday.getYear();
    double u = rng.nextDouble();
    if (u < 0.25) {
      int length = 6 + rng.nextInt(5);
      StringBuilder qq = new StringBuilder().append(1 + rng.nextInt(9));
      for (int i = 1; i < length; i++) {
        qq.append(rng.nextInt(10));
      }
      return qq + (rng.nextDouble() < 0.85 ? "@qq.com" : "@foxmail.com");
    }
    if (u < 0.30) {
      return p.mobile + (rng.nextDouble() < 0.5 ? "@139.com" : "@163.com");
    }
    String local;
    if (p.englishName != null && u < 0.40) {
      local =
          p.englishName.toLowerCase(Locale.ROOT) + (rng.nextDouble() < 0.5 ? "." : "") + surname;
    } else {
      double style = rng.nextDouble();
      if (style < 0.35) {
        local =
            surname
                + given
                + String.format("%02d", rng.nextDouble() < 0.5 ? year % 100 : rng.nextInt(100));
      } else if (style < 0.55) {
        local = surname + given + year;
      } else if (style < 0.68) {
        local = given + "." + surname;
      } else if (style < 0.78) {
        local = surname + "_" + given;
      } else if (style < 0.9) {
        local = surname + given.charAt(0) + (100 + rng.nextInt(900));
      } else {
        StringBuilder initials = new StringBuilder().append(surname.charAt(0));
        for (String s : p.given.syllables()) {
          initials.append(s.charAt(0));
        }
        local = initials.toString() + year;
      }
    }
    return local + "@" + EMAIL_DOMAIN.pick(rng);
  }

  /** Customers sometimes type their address with capitals: WangWei88@QQ.com. */
  private String writtenEmail(String email) {
    if (rng.nextDouble() >= 0.05) {
      return email;
    }
    int at = email.indexOf('@');
    StringBuilder local = new StringBuilder(email.substring(0, at));
    local.setCharAt(0, Character.toUpperCase(local.charAt(0)));
    for (int i = 1; i < local.length(); i++) {
      if (Character.isLetter(local.charAt(i)) && !Character.isLetter(local.charAt(i - 1))) {
        local.setCharAt(i, Character.toUpperCase(local.charAt(i)));
      }
    }
    String domain = email.substring(at + 1);
    int dot = domain.indexOf('.');
    return local + "@" + domain.substring(0, dot).toUpperCase(Locale.ROOT) + domain.substring(dot);
  }

  private Till tillIn(Places.City city) {
    List<Till> local = tills.stream().filter(t -> t.city == city).toList();
    return local.get(rng.nextInt(local.size()));
  }

  private Sheet sheetIn(Places.City city) {
    List<Sheet> local = sheets.stream().filter(s -> s.city == city).toList();
    return local.get(rng.nextInt(local.size()));
  }

  private String randomId(int length) {
    char[] c = new char[length];
    for (int i = 0; i < length; i++) {
      c[i] = ID_ALPHABET.charAt(rng.nextInt(ID_ALPHABET.length()));
    }
    return new String(c);
  }

  private Instant between(Instant from, Instant to) {
    long span = Math.max(1, to.getEpochSecond() - from.getEpochSecond());
    return Instant.ofEpochSecond(from.getEpochSecond() + rng.nextLong(span));
  }

  @SafeVarargs
  private <T> T anyOf(T... options) {
    return options[rng.nextInt(options.length)];
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }
}
