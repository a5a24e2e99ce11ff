package com.onemember.mdm.standardize;

import com.onemember.canonical.Gender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sourceforge.pinyin4j.PinyinHelper;
import net.sourceforge.pinyin4j.format.HanyuPinyinCaseType;
import net.sourceforge.pinyin4j.format.HanyuPinyinOutputFormat;
import net.sourceforge.pinyin4j.format.HanyuPinyinToneType;
import net.sourceforge.pinyin4j.format.HanyuPinyinVCharType;
import net.sourceforge.pinyin4j.format.exception.BadHanyuPinyinOutputFormatCombination;

/**
 * Standardises names as clerks and web shops type them: Chinese names in simplified or traditional
 * characters (陳偉 is stored as 陈伟), titles instead of a given name (王先生, 李女士), and romanised names
 * in either order (Wang Wei, WEI WANG). Compares them by pinyin so that homophones typed by clerks
 * (王伟 / 王玮) are not taken for different people.
 */
public final class PersonNames {

  /** Longer than any real name; a longer cell is a pasted note or an attack, not a name. */
  public static final int MAX_LENGTH = 50;

  private static final Set<String> COMPOUND_SURNAMES =
      Set.of(
          "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐", "端木",
          "西门", "南宫", "独孤");
  private static final Map<String, Gender> TITLES =
      Map.of(
          "先生", Gender.MALE,
          "女士", Gender.FEMALE,
          "小姐", Gender.FEMALE,
          "太太", Gender.FEMALE,
          "阿姨", Gender.FEMALE,
          "老师", Gender.UNKNOWN,
          "总", Gender.UNKNOWN);
  private static final Pattern TITLE_FORM =
      Pattern.compile("(\\p{IsHan}{1,2}?)(先生|女士|小姐|太太|阿姨|老师|总)");
  private static final Pattern LATIN = Pattern.compile("[A-Za-z][A-Za-z .'-]*");
  private static final HanyuPinyinOutputFormat PINYIN = new HanyuPinyinOutputFormat();

  static {
    PINYIN.setCaseType(HanyuPinyinCaseType.LOWERCASE);
    PINYIN.setToneType(HanyuPinyinToneType.WITHOUT_TONE);
    PINYIN.setVCharType(HanyuPinyinVCharType.WITH_V);
  }

  private PersonNames() {}

  /** The name, or why it is not one; {@code null} for blank input. */
  public static Parsed<PersonName> standardize(String input) {
    String text = Text.clean(input);
    if (text == null) {
      return null;
    }
    if (text.codePointCount(0, text.length()) > MAX_LENGTH) {
      int length = text.codePointCount(0, text.length());
      return Parsed.refused(
          "name",
          "姓名过长（"
              + length
              + " 个字符，最多 "
              + MAX_LENGTH
              + " 个）/ The name is "
              + length
              + " characters long; at most "
              + MAX_LENGTH
              + " are allowed.");
    }
    text = Text.simplified(withoutSpacesBetweenHan(text));
    Matcher title = TITLE_FORM.matcher(text);
    if (title.matches()) {
      String surname = title.group(1);
      return Parsed.ok(
          new PersonName(text, surname, true, TITLES.get(title.group(2)), pinyinKey(surname)));
    }
    if (Text.allHan(text)) {
      return Parsed.ok(
          new PersonName(text, surnameOf(text), false, Gender.UNKNOWN, pinyinKey(text)));
    }
    if (LATIN.matcher(text).matches()) {
      String[] words = text.toLowerCase(Locale.ROOT).split("[ .'-]+");
      Arrays.sort(words);
      return Parsed.ok(
          new PersonName(text, null, false, Gender.UNKNOWN, String.join(" ", words).trim()));
    }
    return Parsed.ok(new PersonName(text, null, false, Gender.UNKNOWN, null));
  }

  /** 王 伟 → 王伟: a space typed between Chinese characters (often a full-width one) means nothing. */
  private static String withoutSpacesBetweenHan(String text) {
    if (text.indexOf(' ') < 0) {
      return text;
    }
    String joined = text.replace(" ", "");
    return Text.allHan(joined) ? joined : text;
  }

  private static String surnameOf(String han) {
    if (han.codePointCount(0, han.length()) >= 3
        && COMPOUND_SURNAMES.contains(han.substring(0, 2))) {
      return han.substring(0, 2);
    }
    return han.substring(0, han.offsetByCodePoints(0, 1));
  }

  /**
   * Toneless pinyin of a Chinese text, syllables joined without spaces in reading order (王伟 →
   * wangwei); characters without a reading are kept as they are.
   */
  public static String pinyin(String han) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < han.length(); ) {
      int c = han.codePointAt(i);
      sb.append(reading(c));
      i += Character.charCount(c);
    }
    return sb.toString();
  }

  /** The first toneless reading; pinyin4j knows only the BMP, other characters stay as they are. */
  private static String reading(int c) {
    if (Character.isSupplementaryCodePoint(c)) {
      return Character.toString(c);
    }
    try {
      String[] readings = PinyinHelper.toHanyuPinyinStringArray((char) c, PINYIN);
      return readings == null || readings.length == 0 ? Character.toString(c) : readings[0];
    } catch (BadHanyuPinyinOutputFormatCombination e) {
      throw new IllegalStateException("pinyin output format is fixed and valid", e);
    }
  }

  /**
   * Sorted pinyin syllables of a Chinese text, so that the key does not depend on name order.
   * Polyphonic characters take their first reading, which for surnames and common given-name
   * characters is the usual one.
   */
  static String pinyinKey(String han) {
    List<String> syllables = new ArrayList<>();
    for (int i = 0; i < han.length(); ) {
      int c = han.codePointAt(i);
      syllables.add(reading(c));
      i += Character.charCount(c);
    }
    syllables.sort(null);
    return String.join(" ", syllables);
  }

  /** How two names relate, from the point of view of "could this be one person?". */
  public enum Agreement {
    /** Same name after standardising, or same pinyin (homophones, romanised forms). */
    SAME,
    /** Not contradictory: one is missing, or one is a title whose surname the other shares. */
    COMPATIBLE,
    /** Clearly different people's names. */
    DIFFERENT
  }

  /** Compares two names; either may be {@code null}. Symmetric. */
  public static Agreement compare(PersonName a, PersonName b) {
    if (a == null || b == null) {
      return Agreement.COMPATIBLE;
    }
    if (a.titleOnly() || b.titleOnly()) {
      PersonName title = a.titleOnly() ? a : b;
      PersonName other = title == a ? b : a;
      if (other.surname() != null) {
        return title.surname().equals(other.surname())
                || title.pinyinKey().equals(pinyinKey(other.surname()))
            ? Agreement.COMPATIBLE
            : Agreement.DIFFERENT;
      }
      if (other.pinyinKey() != null && !other.titleOnly()) {
        return Arrays.asList(other.pinyinKey().split(" ")).contains(title.pinyinKey())
            ? Agreement.COMPATIBLE
            : Agreement.DIFFERENT;
      }
      return Agreement.COMPATIBLE;
    }
    if (a.display().equalsIgnoreCase(b.display())) {
      return Agreement.SAME;
    }
    if (a.pinyinKey() != null && b.pinyinKey() != null) {
      return samePinyin(a.pinyinKey(), b.pinyinKey()) ? Agreement.SAME : Agreement.DIFFERENT;
    }
    return Agreement.DIFFERENT;
  }

  /**
   * Equal sorted syllables, or one side written as a single word (WANGWEI, weiwang) that spells the
   * other's syllables in either order.
   */
  private static boolean samePinyin(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    String word = a.contains(" ") ? (b.contains(" ") ? null : b) : a;
    String syllables = word == a ? b : a;
    if (word == null) {
      return false;
    }
    List<String> parts = Arrays.asList(syllables.split(" "));
    String forward = String.join("", parts);
    List<String> reversed = new ArrayList<>(parts);
    java.util.Collections.reverse(reversed);
    return word.equals(forward) || word.equals(String.join("", reversed));
  }
}
