package com.onemember.mdm.standardize.address;

import com.onemember.mdm.standardize.Parsed;
import com.onemember.mdm.standardize.address.Divisions.Division;
import com.onemember.mdm.standardize.address.Divisions.Level;
import com.onemember.mdm.standardize.address.Divisions.Match;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Standardises mainland-China postal addresses. The province, city and district are recognised at
 * the start of the text whether written in full (浙江省杭州市西湖区), without suffixes (浙江杭州西湖区) or partly
 * left out (杭州市西湖区, 上海浦东新区, 北京朝阳区, 义乌…); the levels not written are filled in from the division
 * list when the written ones say which they are. Of several readings the one that recognises the
 * most characters wins (吉林市 is the city, not 吉林省 followed by 市); when readings tie and disagree,
 * the level they disagree on is left {@code null} rather than guessed (朝阳区 alone is in Beijing or
 * in Changchun).
 *
 * <p>A name written without its suffix is not taken when a road follows it (南京西路, 中山北路, 延安路 are
 * streets in many cities), and a district without province or city before it must be written in
 * full. Traditional characters are not converted (餘杭區 is not recognised).
 */
public final class Addresses {

  /** Longer than any real address; a longer cell is a pasted note, not an address. */
  public static final int MAX_LENGTH = 200;

  /** What clerks and forms put in an address cell when there is no address. */
  private static final Set<String> PLACEHOLDERS =
      Set.of(
          "无", "暂无", "不详", "未知", "空", "没有", "待定", "待补充", "NULL", "N/A", "NA", "NONE", "-", "--",
          "/", ".", "0");

  private static final String[] COUNTRY = {"中华人民共和国", "中国大陆", "中国"};
  private static final String SEPARATORS = " ,、/-·:;";

  private Addresses() {}

  /**
   * The address, or why it is not one. {@code null} for {@code null}, blank, emoji-only or
   * placeholder input (无, 不详, N/A): there is no address to report on. Text with no Chinese
   * character at all, or longer than {@link #MAX_LENGTH}, is refused. Never throws.
   */
  public static Parsed<ChineseAddress> standardize(String input) {
    String cleaned = clean(input);
    // 浙江省杭州市餘杭區 is read as 余杭区: the division list is in simplified characters
    String text = cleaned == null ? null : com.onemember.mdm.standardize.Text.simplified(cleaned);
    if (text == null || PLACEHOLDERS.contains(text.toUpperCase(Locale.ROOT))) {
      return null;
    }
    int length = text.codePointCount(0, text.length());
    if (length > MAX_LENGTH) {
      return Parsed.refused(
          "address",
          "地址过长（"
              + length
              + " 个字符，最多 "
              + MAX_LENGTH
              + " 个）/ The address is "
              + length
              + " characters long; at most "
              + MAX_LENGTH
              + " are allowed.");
    }
    if (text.codePoints().noneMatch(Addresses::isHan)) {
      return Parsed.refused(
          "address",
          "地址"
              + quote(text)
              + "不含中文，不是中国大陆地址 / Address "
              + quote(text)
              + " has no Chinese characters; it is not a mainland-China address.");
    }
    Divisions divisions = Divisions.get();
    Reading reading = read(text, afterCountry(text, divisions), divisions);
    String detail = text.substring(skipSeparators(text, reading.end())).trim();
    if (detail.isEmpty()) {
      detail = null;
    }
    if (reading.province() == null
        && reading.city() == null
        && reading.district() == null
        && detail == null) {
      return null;
    }
    return Parsed.ok(
        new ChineseAddress(
            reading.province(), reading.city(), reading.district(), detail, DetailKeys.of(detail)));
  }

  /** The standardised address, or {@code null} when the input was absent or refused. */
  public static ChineseAddress orNull(String input) {
    return standardize(input) instanceof Parsed.Ok<ChineseAddress> ok ? ok.value() : null;
  }

  /** Division names as read, and where the divisions end in the text. */
  private record Reading(String province, String city, String district, int end) {}

  /**
   * Tries every combination of province, city and district names found at the start (each level
   * possibly absent, each later level inside the earlier one) and keeps the best. At most a handful
   * of names start at any position, so this is a few dozen steps.
   */
  private static Reading read(String text, int start, Divisions divisions) {
    Best best = new Best(start);
    List<Match> first = divisions.matchesAt(text, start);
    for (Match p : first) {
      if (p.division().level() == Level.PROVINCE && standsAlone(p, text)) {
        readCity(
            text, p.division(), skipSeparators(text, p.end()), score(p, start), divisions, best);
      }
    }
    readCity(text, null, start, new Score(0, 0), divisions, best);
    return best.reading();
  }

  private static void readCity(
      String text, Division province, int at, Score score, Divisions divisions, Best best) {
    List<Match> here = divisions.matchesAt(text, at);
    Division municipal = province == null ? null : divisions.municipalCity(province);
    if (municipal != null) {
      for (Match c : here) {
        if (c.division().equals(municipal) && standsAlone(c, text)) {
          readDistrict(
              text,
              province,
              municipal,
              skipSeparators(text, c.end()),
              score.plus(score(c, at)),
              divisions,
              best);
        }
      }
      readDistrict(text, province, municipal, at, score, divisions, best);
      return;
    }
    for (Match c : here) {
      Division city = c.division();
      if (city.level() == Level.CITY
          && (province == null || city.parent().equals(province))
          && standsAlone(c, text)) {
        readDistrict(
            text,
            province,
            city,
            skipSeparators(text, c.end()),
            score.plus(score(c, at)),
            divisions,
            best);
      }
    }
    readDistrict(text, province, null, at, score, divisions, best);
  }

  private static void readDistrict(
      String text,
      Division province,
      Division city,
      int at,
      Score score,
      Divisions divisions,
      Best best) {
    boolean context = province != null || city != null;
    for (Match d : divisions.matchesAt(text, at)) {
      Division district = d.division();
      if (district.level() != Level.DISTRICT
          || (city != null && !district.parent().equals(city))
          || (city == null && province != null && !district.province().equals(province))
          || (!context && (d.shortForm() || !meaningfulAlone(district.name())))
          || !standsAlone(d, text)) {
        continue;
      }
      best.consider(
          district, district.city(), district.province(), d.end(), score.plus(score(d, at)));
    }
    if (city != null) {
      best.consider(null, city, city.province(), at, score);
    } else if (province != null) {
      best.consider(null, null, province, at, score);
    } else {
      best.consider(null, null, null, at, score);
    }
  }

  /**
   * A district name that is also an everyday word (城区, 郊区, 矿区, 东区) means nothing without a city;
   * two-character counties (沛县) and cities (芒市) are real names.
   */
  private static boolean meaningfulAlone(String name) {
    return name.length() >= 3 || name.endsWith("县") || name.endsWith("市");
  }

  /**
   * A short form followed by a road is the road's name, not the division: 南京西路, 中山北路, 延安路, 北京大街.
   */
  private static boolean standsAlone(Match m, String text) {
    if (!m.shortForm() || m.end() >= text.length()) {
      return true;
    }
    char next = text.charAt(m.end());
    char after = m.end() + 1 < text.length() ? text.charAt(m.end() + 1) : ' ';
    if ("路街道巷弄".indexOf(next) >= 0) {
      return false;
    }
    return !("东西南北中大".indexOf(next) >= 0 && "路街道".indexOf(after) >= 0);
  }

  private static Score score(Match m, int at) {
    return new Score(m.end() - at, m.shortForm() ? 0 : 1);
  }

  /** Characters recognised, then names written in full: more of either is the better reading. */
  private record Score(int characters, int fullNames) implements Comparable<Score> {
    Score plus(Score other) {
      return new Score(characters + other.characters, fullNames + other.fullNames);
    }

    @Override
    public int compareTo(Score o) {
      return characters != o.characters
          ? Integer.compare(characters, o.characters)
          : Integer.compare(fullNames, o.fullNames);
    }
  }

  /** The best readings so far; tied readings keep only the names they agree on. */
  private static final class Best {
    private Score score;
    private int end;
    private String province;
    private String city;
    private String district;

    Best(int start) {
      this.end = start;
    }

    void consider(Division d, Division c, Division p, int at, Score s) {
      int order = score == null ? 1 : s.compareTo(score);
      if (order < 0) {
        return;
      }
      String pn = p == null ? null : p.name();
      String cn = c == null ? null : c.name();
      String dn = d == null ? null : d.name();
      if (order > 0) {
        score = s;
        end = at;
        province = pn;
        city = cn;
        district = dn;
        return;
      }
      province = Objects.equals(province, pn) ? pn : null;
      city = Objects.equals(city, cn) ? cn : null;
      district = Objects.equals(district, dn) ? dn : null;
    }

    Reading reading() {
      return new Reading(province, city, district, end);
    }
  }

  /** 中国浙江省… → 浙江省…; 中国银行大厦 keeps its name because no division follows. */
  private static int afterCountry(String text, Divisions divisions) {
    for (String country : COUNTRY) {
      if (text.startsWith(country)) {
        int at = skipSeparators(text, country.length());
        return divisions.matchesAt(text, at).isEmpty() ? 0 : at;
      }
    }
    return 0;
  }

  private static int skipSeparators(String text, int at) {
    while (at < text.length() && SEPARATORS.indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    return at;
  }

  /**
   * NFKC (full-width letters, digits and punctuation become half-width), emoji, other symbols,
   * control and format characters removed, white space collapsed to one space and trimmed. {@code
   * null} when nothing is left.
   */
  static String clean(String s) {
    if (s == null) {
      return null;
    }
    String n = Normalizer.normalize(s, Normalizer.Form.NFKC);
    StringBuilder sb = new StringBuilder(n.length());
    boolean space = false;
    for (int i = 0; i < n.length(); ) {
      int c = n.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        space = sb.length() > 0;
      } else if (!junk(c)) {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.appendCodePoint(c);
      }
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  private static boolean junk(int c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED,
          Character.OTHER_SYMBOL,
          Character.MODIFIER_SYMBOL,
          Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK ->
          true;
      default -> false;
    };
  }

  private static boolean isHan(int c) {
    return Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN;
  }

  private static String quote(String s) {
    return "「" + (s.length() > 30 ? s.substring(0, 30) + "…" : s) + "」";
  }
}
