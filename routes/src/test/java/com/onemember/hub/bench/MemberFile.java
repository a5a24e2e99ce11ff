package com.onemember.hub.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * A store chain's member export as its POS writes it, written row by row so that a million rows
 * need no more memory than a hundred: a GBK CSV (what Chinese POS systems and Excel on Chinese
 * Windows export) or an .xlsx written by POI's streaming workbook with inline strings. The columns
 * are those the hub recognises ({@code MemberColumns}) plus 积分, which it keeps in the raw record.
 *
 * <p>About {@link #REPEAT_SHARE} of the rows are an earlier person again as another store or clerk
 * typed them, so that matching has real work: the same name and phone (the birthday perhaps in
 * another layout), the name in traditional characters, the name typed differently (a homophone, a
 * space), the phone written with a country code or separators, or a new phone with the same name,
 * birthday and city. Every row has its own card number, as it would if each store issued its own
 * cards. Seeded: the same arguments write the same rows.
 */
final class MemberFile {

  /** What the bench asks for: the file's layout and encoding. */
  enum Format {
    CSV("csv", "csv"),
    /** Inline strings, as streaming writers (and many back-office exports) store text. */
    XLSX("xlsx", "xlsx"),
    /**
     * A shared-strings table, as Excel itself saves a workbook: the hub must look every text cell
     * up in it, a million names and addresses.
     */
    XLSX_SHARED("xlsx-shared", "xlsx");

    final String argument;
    final String extension;

    Format(String argument, String extension) {
      this.argument = argument;
      this.extension = extension;
    }

    static Format of(String name) {
      for (Format f : values()) {
        if (f.argument.equalsIgnoreCase(name)) {
          return f;
        }
      }
      throw new IllegalArgumentException("format must be csv, xlsx or xlsx-shared, was " + name);
    }
  }

  /** What was written: how many rows, and how many of them repeat an earlier person, by kind. */
  record Written(Path file, long bytes, int rows, int people, Map<Variant, Integer> repeats) {

    int repeated() {
      return rows - people;
    }
  }

  /** How a repeated person differs from the row that first named them. */
  enum Variant {
    SAME_NAME_AND_PHONE("same name and phone (birthday layout may differ)"),
    TRADITIONAL("name in traditional characters"),
    TYPED_DIFFERENTLY("name typed differently (homophone or space)"),
    PHONE_WRITTEN_DIFFERENTLY("phone with +86 or separators"),
    NEW_PHONE("new phone, same name, birthday and city");

    final String description;

    Variant(String description) {
      this.description = description;
    }
  }

  static final List<String> HEADERS =
      List.of("会员卡号", "姓名", "手机号", "性别", "生日", "省份", "城市", "地址", "积分");

  static final double REPEAT_SHARE = 0.15;

  /** Earlier people a repeat is drawn from: a uniform sample of all of them, not the last few. */
  private static final int RESERVOIR = 50_000;

  /** Rows the streaming workbook keeps in memory before flushing them to its temporary file. */
  private static final int XLSX_WINDOW = 200;

  private MemberFile() {}

  /**
   * Writes {@code rows} data rows after one header row to {@code file}, replacing it.
   *
   * @param seed the same seed gives the same file
   */
  static Written write(Path file, Format format, int rows, long seed) throws IOException {
    Rows source = new Rows(seed);
    try (OutputStream out = Files.newOutputStream(file)) {
      if (format == Format.CSV) {
        writeCsv(out, rows, source);
      } else {
        writeXlsx(out, rows, source, format == Format.XLSX_SHARED);
      }
    }
    return new Written(file, Files.size(file), rows, source.people, source.repeatsByVariant());
  }

  private static void writeCsv(OutputStream out, int rows, Rows source) throws IOException {
    // an unmappable character fails the bench instead of turning into '?' in the file
    CharsetEncoder gbk =
        Charset.forName("GBK")
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    Writer w = new BufferedWriter(new OutputStreamWriter(out, gbk), 1 << 16);
    line(w, HEADERS);
    for (int i = 0; i < rows; i++) {
      line(w, source.next());
    }
    w.flush();
  }

  private static void line(Writer w, List<String> cells) throws IOException {
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) {
        w.write(',');
      }
      String cell = cells.get(c);
      if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0) {
        w.write('"');
        w.write(cell.replace("\"", "\"\""));
        w.write('"');
      } else {
        w.write(cell);
      }
    }
    w.write("\r\n");
  }

  private static void writeXlsx(OutputStream out, int rows, Rows source, boolean shared)
      throws IOException {
    // a shared-strings table holds every distinct name and address in the bench's memory while it
    // writes: fine for a bench JVM, and the form Excel's own files take
    SXSSFWorkbook book = new SXSSFWorkbook(null, XLSX_WINDOW, true, shared);
    try {
      Sheet sheet = book.createSheet("会员");
      cells(sheet.createRow(0), HEADERS);
      for (int i = 0; i < rows; i++) {
        cells(sheet.createRow(i + 1), source.next());
      }
      book.write(out);
    } finally {
      book.dispose();
      book.close();
    }
  }

  private static final int POINTS = HEADERS.indexOf("积分");

  /** Points are a number, as the POS stores them; everything else is text, phones included. */
  private static void cells(Row row, List<String> values) {
    for (int c = 0; c < values.size(); c++) {
      String v = values.get(c);
      if (v.isEmpty()) {
        continue;
      }
      Cell cell = row.createCell(c);
      if (c == POINTS && row.getRowNum() > 0) {
        cell.setCellValue(Integer.parseInt(v));
      } else {
        cell.setCellValue(v);
      }
    }
  }

  /** One person as the first store that enrolled them knew them. */
  private record Person(
      String surname,
      String given,
      String mobile,
      String gender,
      LocalDate birthday,
      int place,
      String address) {}

  /** The rows, one at a time, in {@link #HEADERS} order. */
  static final class Rows {

    /**
     * Common family names, the most common first (drawn with a bias to the front, as in the
     * population); each has its traditional form in {@link #TRADITIONAL}.
     */
    private static final String SURNAMES =
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";

    private static final String[] DOUBLE_SURNAMES = {"欧阳", "司马", "上官", "诸葛", "东方"};

    private static final String GIVEN =
        "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彬辉鹏飞斌宇浩凯健俊帆帅旭宁龙林欣悦雨婷思琪梓涵子轩然诺怡佳晨阳泽博文嘉雅婉清志建国庆春梅海波亮晓丹露瑶倩颖慧琳";

    /** Simplified to traditional, for the characters above that differ. */
    private static final Map<Character, Character> TRADITIONAL =
        pairs(
            "张張刘劉陈陳杨楊黄黃赵趙吴吳孙孫马馬罗羅郑鄭谢謝许許韩韓冯馮邓鄧蒋蔣叶葉苏蘇吕呂卢盧钟鍾谭譚陆陸贾賈韦韋邹鄒闫閆龙龍贺賀顾顧龚龔万萬钱錢严嚴汤湯"
                + "欧歐阳陽诸諸东東"
                + "伟偉静靜丽麗强強军軍艳艷杰傑涛濤兰蘭刚剛华華红紅辉輝鹏鵬飞飛凯凱帅帥宁寧悦悅轩軒诺諾泽澤国國庆慶晓曉瑶瑤颖穎");

    /** A given-name character and one a clerk types for it by its sound (same pinyin). */
    private static final Map<Character, Character> HOMOPHONES =
        pairs(
            "伟玮丽莉静婧军君艳燕杰洁明铭华花红虹玲琳芳方磊蕾涛韬敏民刚钢鹏朋飞菲斌彬宇雨浩昊凯楷俊骏帆凡旭煦欣鑫悦月婷亭琪琦涵晗轩萱怡仪佳家晨辰阳扬泽则博波文雯嘉佳雅亚婉琬清青志智建健梅玫亮靓晓小露璐瑶遥倩茜颖莹慧惠琳霖英瑛兰岚平萍萍平桂贵玉钰燕艳龙隆林琳雨宇思斯梓子子梓然冉勇永洋阳");

    /** Province, city and districts: where the chain has stores. */
    private static final String[][] PLACES = {
      {"广东", "广州", "天河区", "越秀区", "海珠区", "白云区", "番禺区"},
      {"广东", "深圳", "南山区", "福田区", "宝安区", "龙岗区", "罗湖区"},
      {"广东", "东莞", "南城街道", "东城街道", "长安镇"},
      {"广东", "佛山", "禅城区", "南海区", "顺德区"},
      {"浙江", "杭州", "西湖区", "余杭区", "拱墅区", "滨江区"},
      {"浙江", "宁波", "鄞州区", "海曙区", "江北区"},
      {"江苏", "南京", "鼓楼区", "玄武区", "江宁区"},
      {"江苏", "苏州", "姑苏区", "工业园区", "吴中区"},
      {"北京", "北京", "朝阳区", "海淀区", "东城区", "丰台区"},
      {"上海", "上海", "浦东新区", "徐汇区", "静安区", "闵行区"},
      {"天津", "天津", "和平区", "南开区", "河西区"},
      {"重庆", "重庆", "渝中区", "江北区", "沙坪坝区"},
      {"四川", "成都", "锦江区", "武侯区", "高新区", "成华区"},
      {"湖北", "武汉", "江汉区", "武昌区", "洪山区"},
      {"湖南", "长沙", "岳麓区", "芙蓉区", "天心区"},
      {"山东", "济南", "历下区", "市中区"},
      {"山东", "青岛", "市南区", "崂山区", "黄岛区"},
      {"河南", "郑州", "金水区", "二七区", "中原区"},
      {"福建", "厦门", "思明区", "湖里区"},
      {"福建", "福州", "鼓楼区", "仓山区"},
      {"陕西", "西安", "雁塔区", "碑林区", "未央区"},
      {"辽宁", "沈阳", "和平区", "沈河区"},
      {"云南", "昆明", "五华区", "盘龙区"},
      {"广西", "南宁", "青秀区", "兴宁区"}
    };

    private static final String MUNICIPALITIES = "北京上海天津重庆";

    private static final String[] STREETS = {
      "中山路", "人民路", "解放路", "建设路", "和平路", "新华路", "文化路", "胜利路", "朝阳路", "长江路", "黄河路", "花园路", "学府路",
      "滨江大道", "世纪大道", "环城东路", "光明街", "幸福里"
    };

    private static final String[] ESTATES = {
      "阳光花园", "锦绣华庭", "翠苑小区", "金色家园", "碧桂园", "万科城", "保利花园", "绿地新城", "书香门第", "滨江一号"
    };

    private static final String[] PREFIXES = {
      "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147", "150",
      "151", "152", "153", "155", "156", "157", "158", "159", "166", "176", "177", "178", "180",
      "181", "182", "183", "185", "186", "187", "188", "189", "198", "199"
    };

    private final Random random;
    private final Person[] reservoir = new Person[RESERVOIR];
    private final int[] repeats = new int[Variant.values().length];
    private int people;
    private int rowNumber;
    private int newPhones;

    Rows(long seed) {
      random = new Random(seed);
    }

    /** In {@link Variant} order. */
    Map<Variant, Integer> repeatsByVariant() {
      Map<Variant, Integer> m = new EnumMap<>(Variant.class);
      for (Variant v : Variant.values()) {
        m.put(v, repeats[v.ordinal()]);
      }
      return Collections.unmodifiableMap(m);
    }

    List<String> next() {
      rowNumber++;
      // card numbers as a POS issues them: unique, a chain prefix and a running number
      String card = "8860" + "%08d".formatted(rowNumber);
      if (people > 0 && random.nextDouble() < REPEAT_SHARE) {
        return repeat(card, reservoir[random.nextInt(Math.min(people, RESERVOIR))]);
      }
      Person p = newPerson();
      // reservoir sampling: every earlier person equally likely to come back
      if (people < RESERVOIR) {
        reservoir[people] = p;
      } else {
        int j = random.nextInt(people + 1);
        if (j < RESERVOIR) {
          reservoir[j] = p;
        }
      }
      people++;
      return row(card, p.surname() + p.given(), p.mobile(), p, birthday(p.birthday()));
    }

    private List<String> repeat(String card, Person p) {
      double r = random.nextDouble();
      Variant v;
      String name = p.surname() + p.given();
      String mobile = p.mobile();
      Person as = p;
      if (r < 0.35) {
        v = Variant.SAME_NAME_AND_PHONE;
      } else if (r < 0.55) {
        v = Variant.TRADITIONAL;
        name = traditional(name);
      } else if (r < 0.75) {
        v = Variant.TYPED_DIFFERENTLY;
        name = typedDifferently(p);
      } else if (r < 0.90) {
        v = Variant.PHONE_WRITTEN_DIFFERENTLY;
        mobile = writtenDifferently(mobile);
      } else {
        v = Variant.NEW_PHONE;
        // beyond the numbers of new people, so this phone is nobody else's
        mobile = mobile(50_000_000 + newPhones++);
        as =
            new Person(
                p.surname(),
                p.given(),
                mobile,
                p.gender(),
                p.birthday(),
                p.place(),
                address(PLACES[p.place()]));
      }
      repeats[v.ordinal()]++;
      return row(card, name, mobile, as, birthday(p.birthday()));
    }

    private List<String> row(String card, String name, String mobile, Person p, String birthday) {
      String[] place = PLACES[p.place()];
      boolean municipality = MUNICIPALITIES.contains(place[0]);
      String province =
          random.nextInt(3) == 0 ? place[0] : place[0] + (municipality ? "市" : suffix(place[0]));
      String city = random.nextInt(3) == 0 ? place[1] : place[1] + "市";
      int points = (int) (Math.pow(random.nextDouble(), 3) * 20_000);
      List<String> cells = new ArrayList<>(HEADERS.size());
      cells.add(card);
      cells.add(name);
      cells.add(mobile);
      cells.add(p.gender());
      cells.add(birthday);
      cells.add(province);
      cells.add(city);
      cells.add(p.address());
      cells.add(Integer.toString(points));
      return cells;
    }

    private static String suffix(String province) {
      return province.equals("广西") ? "壮族自治区" : "省";
    }

    private Person newPerson() {
      String surname =
          random.nextInt(200) == 0
              ? DOUBLE_SURNAMES[random.nextInt(DOUBLE_SURNAMES.length)]
              : String.valueOf(SURNAMES.charAt(skewed(SURNAMES.length())));
      StringBuilder given = new StringBuilder();
      int length = random.nextInt(10) < 3 ? 1 : 2;
      for (int i = 0; i < length; i++) {
        given.append(GIVEN.charAt(random.nextInt(GIVEN.length())));
      }
      int r = random.nextInt(100);
      String gender = r < 48 ? "男" : r < 96 ? "女" : "";
      LocalDate birthday =
          random.nextInt(20) == 0
              ? null
              : LocalDate.of(1950, 1, 1).plusDays(random.nextInt(365 * 56));
      int place = random.nextInt(PLACES.length);
      return new Person(
          surname,
          given.toString(),
          mobile(people),
          gender,
          birthday,
          place,
          address(PLACES[place]));
    }

    /** An index biased to the front: the common names come up far more often. */
    private int skewed(int n) {
      double u = random.nextDouble();
      return (int) (n * u * u);
    }

    /**
     * A mainland mobile that no other person has: the last eight digits are a bijection of {@code
     * n} (the multiplier is coprime with 10^8), the prefix a carrier's.
     */
    private String mobile(int n) {
      long suffix = (n * 73_939_133L + 12_345_679L) % 100_000_000L;
      return PREFIXES[random.nextInt(PREFIXES.length)] + "%08d".formatted(suffix);
    }

    private String address(String[] place) {
      String district = place[2 + random.nextInt(place.length - 2)];
      String street = STREETS[random.nextInt(STREETS.length)] + (1 + random.nextInt(300)) + "号";
      if (random.nextBoolean()) {
        return district
            + street
            + ESTATES[random.nextInt(ESTATES.length)]
            + (1 + random.nextInt(30))
            + "栋"
            + (1 + random.nextInt(3))
            + "单元"
            + (1 + random.nextInt(32))
            + "0"
            + (1 + random.nextInt(4))
            + "室";
      }
      return random.nextInt(4) == 0 ? "" : district + street;
    }

    /** The layouts stores write a birthday in; blank when the member never gave one. */
    private String birthday(LocalDate d) {
      if (d == null) {
        return "";
      }
      int r = random.nextInt(100);
      if (r < 45) {
        return d.toString();
      } else if (r < 70) {
        return d.getYear() + "/" + d.getMonthValue() + "/" + d.getDayOfMonth();
      } else if (r < 90) {
        return "%d%02d%02d".formatted(d.getYear(), d.getMonthValue(), d.getDayOfMonth());
      }
      return d.getYear() + "年" + d.getMonthValue() + "月" + d.getDayOfMonth() + "日";
    }

    private static String traditional(String name) {
      StringBuilder sb = new StringBuilder(name.length());
      for (char c : name.toCharArray()) {
        sb.append(TRADITIONAL.getOrDefault(c, c));
      }
      return sb.toString();
    }

    /** A homophone for one given-name character, else a space after the family name. */
    private String typedDifferently(Person p) {
      String given = p.given();
      int at = random.nextInt(given.length());
      Character sound = HOMOPHONES.get(given.charAt(at));
      if (sound != null && random.nextInt(3) > 0) {
        return p.surname() + given.substring(0, at) + sound + given.substring(at + 1);
      }
      return p.surname() + (random.nextBoolean() ? " " : "\u3000") + given;
    }

    private String writtenDifferently(String mobile) {
      return switch (random.nextInt(4)) {
        case 0 -> "+86 " + mobile;
        case 1 -> "86" + mobile;
        case 2 -> mobile.substring(0, 3) + "-" + mobile.substring(3, 7) + "-" + mobile.substring(7);
        default ->
            mobile.substring(0, 3) + " " + mobile.substring(3, 7) + " " + mobile.substring(7);
      };
    }

    private static Map<Character, Character> pairs(String text) {
      Map<Character, Character> m = new HashMap<>();
      for (int i = 0; i + 1 < text.length(); i += 2) {
        m.putIfAbsent(text.charAt(i), text.charAt(i + 1));
      }
      return Map.copyOf(m);
    }
  }
}
