package com.onemember.mdm.bench.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.standardize.MobileNumbers;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChineseMemberGeneratorTest {

  private static Population population;
  private static Map<String, Person> people;

  @BeforeAll
  static void generate() {
    population = new ChineseMemberGenerator(7).population(100_000);
    people = new HashMap<>();
    population.people().forEach(p -> people.put(p.id, p));
  }

  @Test
  void aSeedAlwaysGivesTheSameRecords() {
    List<GeneratedRecord> first = new ChineseMemberGenerator(42).generate(5_000);
    assertThat(new ChineseMemberGenerator(42).generate(5_000)).isEqualTo(first);
    assertThat(new ChineseMemberGenerator(43).generate(5_000)).isNotEqualTo(first);
    assertThat(first).hasSize(5_000);
  }

  @Test
  void recordsDescribeFewerPeopleThanThereAreRecords() {
    assertThat(population.records()).hasSize(100_000);
    long persons = population.records().stream().map(GeneratedRecord::person).distinct().count();
    assertThat(persons).isEqualTo(population.people().size()).isBetween(45_000L, 65_000L);
  }

  @Test
  void aboutEightPercentOfPeopleShareAMobileWithTheirHousehold() {
    Map<String, Set<String>> members = new HashMap<>();
    Map<String, Set<String>> mobilesByPerson = new HashMap<>();
    for (GeneratedRecord r : population.records()) {
      if (r.household() != null) {
        members.computeIfAbsent(r.household(), k -> new HashSet<>()).add(r.person());
      }
      for (String mobile : mobiles(r.record())) {
        mobilesByPerson.computeIfAbsent(r.person(), k -> new HashSet<>()).add(mobile);
      }
    }
    long inHouseholds = members.values().stream().mapToInt(Set::size).sum();
    assertThat((double) inHouseholds / population.people().size()).isBetween(0.06, 0.10);
    // the record limit may cut the last household short

    int sharing = 0;
    int mixedGender = 0;
    members.values().removeIf(household -> household.size() < 2);
    for (Set<String> household : members.values()) {
      assertThat(household).hasSizeLessThanOrEqualTo(3);
      List<Person> family = household.stream().map(people::get).toList();
      assertThat(family.stream().map(Person::name).distinct()).hasSameSizeAs(family);
      assertThat(family.stream().map(p -> p.mobile).distinct()).hasSize(1);
      if (family.stream().anyMatch(p -> p.male) && family.stream().anyMatch(p -> !p.male)) {
        mixedGender++;
      }
      Map<String, Integer> seen = new HashMap<>();
      for (String person : household) {
        for (String mobile : mobilesByPerson.getOrDefault(person, Set.of())) {
          seen.merge(mobile, 1, Integer::sum);
        }
      }
      if (seen.values().stream().anyMatch(n -> n > 1)) {
        sharing++;
      }
    }
    assertThat((double) sharing / members.size())
        .as("households whose records show one mobile, in full or masked, for two members")
        .isGreaterThan(0.75);
    assertThat((double) mixedGender / members.size()).isGreaterThan(0.6);
  }

  @Test
  void commonNamesBelongToManyDifferentPeople() {
    Map<String, Set<String>> byName = new HashMap<>();
    for (Person p : population.people()) {
      byName.computeIfAbsent(p.name(), k -> new HashSet<>()).add(p.id);
    }
    for (String common : List.of("王伟", "张伟", "李伟", "王芳", "李静", "张敏", "王静", "刘伟", "李娜")) {
      assertThat(byName.getOrDefault(common, Set.of())).as(common).hasSizeGreaterThan(20);
    }
    long collidingPeople =
        byName.values().stream().filter(s -> s.size() > 1).mapToInt(Set::size).sum();
    assertThat(collidingPeople).isGreaterThan(1_000);

    Set<String> posWangWei = new HashSet<>();
    for (GeneratedRecord r : population.records()) {
      if (r.shape() == SourceShape.POS && "王伟".equals(r.record().name())) {
        posWangWei.add(r.person());
      }
    }
    assertThat(posWangWei).as("different people typed 王伟 at the tills").hasSizeGreaterThan(10);
  }

  @Test
  void everyShapeAppearsWithItsSourcesAndUniqueIds() {
    Set<SourceShape> shapes = EnumSet.noneOf(SourceShape.class);
    Set<String> ids = new HashSet<>();
    Instant from = Instant.parse("2022-12-31T00:00:00Z");
    Instant to = Instant.parse("2027-01-01T00:00:00Z");
    for (GeneratedRecord r : population.records()) {
      shapes.add(r.shape());
      SourceRecord s = r.record();
      String pattern =
          switch (r.shape()) {
            case POS -> "pos-store-\\d{2}";
            case WEB_SHOP -> "web-shop";
            case WECHAT_MINI_PROGRAM -> "wechat-mp";
            case STORE_SHEET -> "store-[a-z]{2}-\\d{2}";
          };
      assertThat(s.source()).matches(pattern);
      assertThat(ids.add(s.source() + "|" + s.sourceRecordId())).as(s.sourceRecordId()).isTrue();
      assertThat(s.sourceUpdatedAt()).isBetween(from, to);
      assertThat(s.raw()).isNotEmpty();
      if (r.shape() == SourceShape.WECHAT_MINI_PROGRAM) {
        Identifier openid = s.identifiers().get(0);
        assertThat(openid.type()).isEqualTo(IdentifierType.WECHAT_OPENID);
        assertThat(openid.value()).hasSize(28);
        assertThat(openid.scope()).matches("wx[0-9a-f]{16}");
        assertThat(s.nickname()).isNotBlank().isNotEqualTo(people.get(r.person()).name());
      }
    }
    assertThat(shapes).containsExactlyInAnyOrder(SourceShape.values());
  }

  @Test
  void everyMobileStandardisesAndTyposStayValidLookingNumbers() {
    int full = 0;
    int mistyped = 0;
    int masked = 0;
    int weChat = 0;
    int weChatMasked = 0;
    for (GeneratedRecord r : population.records()) {
      Person truth = people.get(r.person());
      boolean anyMasked = false;
      for (Identifier id : r.record().identifiers()) {
        if (id.type() != IdentifierType.MOBILE) {
          continue;
        }
        MobileNumbers.Result result = MobileNumbers.standardize(id.value());
        assertThat(result)
            .as(id.value())
            .isInstanceOfAny(MobileNumbers.Mobile.class, MobileNumbers.Masked.class);
        if (result instanceof MobileNumbers.Masked m) {
          masked++;
          anyMasked = true;
          assertThat(truth.mobiles().stream().map(Formats::masked)).contains(m.value());
        } else if (result instanceof MobileNumbers.Mobile m) {
          full++;
          assertThat(m.value()).matches("1\\d{10}");
          if (!truth.mobiles().contains(m.value())) {
            mistyped++;
            assertThat(truth.mobiles()).anyMatch(real -> oneTypoApart(real, m.value()));
          }
        }
      }
      if (r.shape() == SourceShape.WECHAT_MINI_PROGRAM) {
        weChat++;
        weChatMasked += anyMasked ? 1 : 0;
      }
    }
    assertThat((double) mistyped / full).isBetween(0.01, 0.03);
    assertThat(masked).isPositive();
    assertThat((double) weChatMasked / weChat)
        .as("WeChat records with a masked phone")
        .isGreaterThan(0.5);
  }

  @Test
  void writesExportsThatReadBack(@TempDir Path dir) throws IOException {
    List<GeneratedRecord> records = new ChineseMemberGenerator(11).generate(3_000);
    List<Path> files = ChineseMemberGenerator.writeExports(records, dir);
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "pos-export.csv", "web-shop-customers.csv", "wechat-members.csv", "store-sheet.csv");

    String pos = strictGbk(Files.readAllBytes(files.get(0)));
    assertThat(pos).startsWith("会员卡号,姓名,手机号,性别,生日,省份,城市,区县,地址,积分\r\n");
    assertThat(rows(pos)).hasSize(count(records, SourceShape.POS));

    String web = Files.readString(files.get(1), StandardCharsets.UTF_8);
    assertThat(web)
        .startsWith("Customer ID,First Name,Last Name,Email,Phone,Address1,City,Province");
    assertThat(rows(web)).hasSize(count(records, SourceShape.WEB_SHOP));

    byte[] weChat = Files.readAllBytes(files.get(2));
    assertThat(weChat).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
    String weChatText = new String(weChat, 3, weChat.length - 3, StandardCharsets.UTF_8);
    assertThat(weChatText).startsWith("openid,unionid,昵称,手机号,性别,生日");
    List<CSVRecord> weChatRows = rows(weChatText);
    assertThat(weChatRows).hasSize(count(records, SourceShape.WECHAT_MINI_PROGRAM));
    assertThat(weChatRows.get(0).get("openid")).hasSize(28);

    String sheet = Files.readString(files.get(3), StandardCharsets.UTF_8);
    assertThat(sheet).startsWith("门店,序号,姓名,电话,性别,生日,备注");
    assertThat(rows(sheet)).hasSize(count(records, SourceShape.STORE_SHEET));
  }

  /** The record's phones as masked numbers, so that full and platform-masked ones compare. */
  private static List<String> mobiles(SourceRecord record) {
    List<String> out = new ArrayList<>();
    for (Identifier id : record.identifiers()) {
      if (id.type() == IdentifierType.MOBILE) {
        MobileNumbers.Result result = MobileNumbers.standardize(id.value());
        if (result instanceof MobileNumbers.Mobile m) {
          out.add(Formats.masked(m.value()));
        } else if (result instanceof MobileNumbers.Masked m) {
          out.add(m.value());
        }
      }
    }
    return out;
  }

  /** One digit replaced, or two neighbouring digits swapped. */
  private static boolean oneTypoApart(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    List<Integer> diff = new ArrayList<>();
    for (int i = 0; i < a.length(); i++) {
      if (a.charAt(i) != b.charAt(i)) {
        diff.add(i);
      }
    }
    if (diff.size() == 1) {
      return true;
    }
    return diff.size() == 2
        && diff.get(1) == diff.get(0) + 1
        && a.charAt(diff.get(0)) == b.charAt(diff.get(1))
        && a.charAt(diff.get(1)) == b.charAt(diff.get(0));
  }

  private static String strictGbk(byte[] bytes) throws CharacterCodingException {
    return Exports.GBK
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  private static List<CSVRecord> rows(String text) throws IOException {
    try (Reader in = new java.io.StringReader(text)) {
      return CSVFormat.DEFAULT
          .builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .get()
          .parse(in)
          .getRecords();
    }
  }

  private static int count(List<GeneratedRecord> records, SourceShape shape) {
    return (int) records.stream().filter(r -> r.shape() == shape).count();
  }
}
