package com.onemember.mdm.standardize;

import com.onemember.canonical.Gender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
 * (王伟 / 王玮) are not taken for different people. A surname is read as a surname (曾伟 is Zeng Wei, not
 * Ceng Wei; 尉迟恭 is Yuchi Gong), because that is how the person romanises it.
 */
public final class PersonNames {

  /** Longer than any real name; a longer cell is a pasted note or an attack, not a name. */
  public static final int MAX_LENGTH = 50;

  /**
   * How a character is read when it is a surname, where that differs from, or is easy to confuse
   * with, its everyday reading: 曾 is zeng as a surname and ceng in 曾经, 单 is shan not dan, 尉迟 is yu
   * chi though 尉 alone is wei. The readings are the traditional surname readings of the 百家姓 as
   * annotated editions give them, checked against the 姓 senses of 新华字典 / 现代汉语词典 where those list
   * the character; 牟 (mou) and 黑 (hei) follow the dictionaries and the usual romanisations (牟宗三 Mou
   * Zongsan), not the lists of "easily misread surnames" (mu, he). Toneless, ü written v as in
   * {@link #pinyin}. An entry is a surname and one syllable per character; a two-character entry is
   * a compound surname.
   */
  private static final Map<String, List<String>> SURNAME_READINGS =
      surnameReadings(
          """
          曾 zeng, 单 shan, 仇 qiu, 区 ou, 解 xie, 查 zha, 朴 piao, 覃 qin, 乐 yue, 盖 ge, 缪 miao,
          秘 bi, 折 she, 种 chong, 重 chong, 翟 zhai, 召 shao, 繁 po, 员 yun, 句 gou, 华 hua,
          任 ren, 沈 shen, 燕 yan, 葛 ge, 纪 ji, 车 che, 柏 bai, 薄 bo, 牟 mou, 宓 mi, 隗 wei,
          蕃 pi, 尉 wei, 那 na, 过 guo, 曲 qu, 石 shi, 贾 jia, 黑 hei, 阚 kan, 万 wan, 长 chang,
          都 du, 卜 bu, 谌 chen, 厍 she, 能 nai, 佴 nai, 郇 huan, 应 ying, 鲜 xian, 相 xiang,
          占 zhan, 隽 juan, 叶 ye, 陆 lu, 六 lu, 强 qiang, 宿 su, 费 fei, 乜 nie, 祭 zhai,
          粘 nian, 莘 shen, 朝 chao, 便 pian, 洗 xian, 冼 xian, 逄 pang, 亓 qi, 夏 xia,
          尉迟 yu chi, 万俟 mo qi, 长孙 zhang sun, 单于 chan yu, 澹台 tan tai, 令狐 ling hu,
          欧阳 ou yang, 上官 shang guan, 司马 si ma, 诸葛 zhu ge, 皇甫 huang fu, 东方 dong fang,
          公孙 gong sun, 宇文 yu wen, 慕容 mu rong, 司徒 si tu, 夏侯 xia hou, 端木 duan mu,
          西门 xi men, 南宫 nan gong, 独孤 du gu, 闻人 wen ren, 赫连 he lian, 公羊 gong yang,
          公冶 gong ye, 宗政 zong zheng, 濮阳 pu yang, 淳于 chun yu, 太叔 tai shu, 申屠 shen tu,
          仲孙 zhong sun, 轩辕 xuan yuan, 钟离 zhong li, 鲜于 xian yu, 闾丘 lv qiu, 司空 si kong,
          司寇 si kou, 亓官 qi guan, 子车 zi ju, 颛孙 zhuan sun, 巫马 wu ma, 公西 gong xi,
          漆雕 qi diao, 乐正 yue zheng, 壤驷 rang si, 公良 gong liang, 拓跋 tuo ba, 夹谷 jia gu,
          宰父 zai fu, 谷梁 gu liang, 段干 duan gan, 百里 bai li, 东郭 dong guo, 南门 nan men,
          呼延 hu yan, 羊舌 yang she, 微生 wei sheng, 梁丘 liang qiu, 左丘 zuo qiu, 东门 dong men,
          第五 di wu, 仉督 zhang du
          """);

  /**
   * Compound surnames that are not split off a full name: today 单于X is far more often 单 (shan) with
   * a given name 于X than the ancient 单于, and so for 乐正, 宗政 and 谷梁, whose second character is common
   * in given names. They are still read as compounds when given as a surname.
   */
  private static final Set<String> COMPOUNDS_NOT_SPLIT = Set.of("单于", "乐正", "宗政", "谷梁");

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
          new PersonName(text, surname, true, TITLES.get(title.group(2)), surnameKey(surname)));
    }
    if (Text.allHan(text)) {
      String surname = surnameOf(text);
      return Parsed.ok(
          new PersonName(text, surname, false, Gender.UNKNOWN, pinyinKey(surname, text)));
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

  /**
   * The surname of a Chinese full name: a compound surname (欧阳, 尉迟, 万俟…) when the name has a given
   * name after it, otherwise the first character.
   */
  private static String surnameOf(String han) {
    if (han.codePointCount(0, han.length()) >= 3) {
      String first2 = han.substring(0, han.offsetByCodePoints(0, 2));
      if (first2.codePointCount(0, first2.length()) == 2
          && SURNAME_READINGS.containsKey(first2)
          && !COMPOUNDS_NOT_SPLIT.contains(first2)) {
        return first2;
      }
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

  /**
   * Readings looked up so far, by character: pinyin4j formats each reading with regular expressions
   * it compiles on every call, which stood out in a bulk load's profile; a chain's names use a few
   * thousand characters.
   */
  private static final java.util.concurrent.ConcurrentHashMap<Character, String> READINGS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The first toneless reading; pinyin4j knows only the BMP, other characters stay as they are. */
  private static String reading(int c) {
    if (Character.isSupplementaryCodePoint(c)) {
      return Character.toString(c);
    }
    return READINGS.computeIfAbsent((char) c, PersonNames::firstReading);
  }

  private static String firstReading(char c) {
    try {
      String[] readings = PinyinHelper.toHanyuPinyinStringArray(c, PINYIN);
      return readings == null || readings.length == 0 ? Character.toString(c) : readings[0];
    } catch (BadHanyuPinyinOutputFormatCombination e) {
      throw new IllegalStateException("pinyin output format is fixed and valid", e);
    }
  }

  /**
   * Toneless pinyin of a surname as a surname is read, syllables joined in reading order: 曾 → zeng
   * (not ceng), 单 → shan, 尉迟 → yuchi, 尉 → wei. Traditional characters are read as their simplified
   * form (單 → shan). A surname the table does not list is read like any text, see {@link #pinyin}.
   * {@code null} gives {@code null}.
   */
  public static String surnamePinyin(String surname) {
    return surname == null ? null : String.join("", surnameSyllables(surname));
  }

  private static List<String> surnameSyllables(String surname) {
    String simplified = Text.simplified(surname);
    List<String> known = SURNAME_READINGS.get(simplified);
    return known != null ? known : syllables(simplified);
  }

  private static List<String> syllables(String han) {
    List<String> syllables = new ArrayList<>();
    for (int i = 0; i < han.length(); ) {
      int c = han.codePointAt(i);
      syllables.add(reading(c));
      i += Character.charCount(c);
    }
    return syllables;
  }

  /**
   * Sorted pinyin syllables of a Chinese full name, so that the key does not depend on name order.
   * The surname takes its surname reading (曾伟 → wei zeng); the given name's polyphonic characters
   * take their first reading, which for common given-name characters is the usual one.
   */
  private static String pinyinKey(String surname, String han) {
    List<String> syllables = new ArrayList<>(surnameSyllables(surname));
    syllables.addAll(syllables(han.substring(surname.length())));
    syllables.sort(null);
    return String.join(" ", syllables);
  }

  /** The key of a surname alone, as a title form (曾先生) has it. */
  private static String surnameKey(String surname) {
    return pinyinKey(surname, surname);
  }

  /**
   * Parses the surname table: entries separated by commas or line breaks, each a surname and one
   * syllable per character. A malformed entry stops class loading rather than read a name wrong.
   */
  private static Map<String, List<String>> surnameReadings(String table) {
    Map<String, List<String>> readings = new HashMap<>();
    for (String entry : table.split("[,\\n]")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] words = entry.strip().split(" ");
      String surname = words[0];
      List<String> syllables = List.of(words).subList(1, words.length);
      if (syllables.size() != surname.codePointCount(0, surname.length())
          || readings.put(surname, syllables) != null) {
        throw new IllegalStateException("surname reading is malformed or repeated: " + entry);
      }
    }
    return Map.copyOf(readings);
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
                || title.pinyinKey().equals(surnameKey(other.surname()))
            ? Agreement.COMPATIBLE
            : Agreement.DIFFERENT;
      }
      if (other.pinyinKey() != null && !other.titleOnly()) {
        // a romanised name writes a compound surname as one word: 欧阳女士 and Ouyang Nana
        List<String> words = Arrays.asList(other.pinyinKey().split(" "));
        return words.contains(title.pinyinKey()) || words.contains(surnamePinyin(title.surname()))
            ? Agreement.COMPATIBLE
            : Agreement.DIFFERENT;
      }
      return Agreement.COMPATIBLE;
    }
    if (a.display().equalsIgnoreCase(b.display())) {
      return Agreement.SAME;
    }
    if (a.pinyinKey() != null && b.pinyinKey() != null) {
      if (samePinyin(a.pinyinKey(), b.pinyinKey())) {
        return Agreement.SAME;
      }
      PersonName chinese = a.surname() != null ? a : b;
      PersonName romanised = chinese == a ? b : a;
      return chinese.surname() != null
              && romanised.surname() == null
              && writtenAs(chinese, romanised.pinyinKey())
          ? Agreement.SAME
          : Agreement.DIFFERENT;
    }
    return Agreement.DIFFERENT;
  }

  /**
   * Whether a romanised name's sorted words spell a Chinese name written the usual way, surname and
   * given name one word each (Yuchi Gong, Zhang Lihua, ZHANGLIHUA), in either order; the syllable
   * key alone misses these, since it splits 尉迟 and 丽华 into syllables.
   */
  private static boolean writtenAs(PersonName chinese, String words) {
    String given = chinese.display().substring(chinese.surname().length());
    if (given.isEmpty()) {
      return false;
    }
    String surname = surnamePinyin(chinese.surname());
    String givenName = pinyin(given);
    List<String> written = new ArrayList<>(List.of(surname, givenName));
    written.sort(null);
    return words.equals(String.join(" ", written))
        || words.equals(surname + givenName)
        || words.equals(givenName + surname);
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
