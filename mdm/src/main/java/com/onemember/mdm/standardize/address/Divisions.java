package com.onemember.mdm.standardize.address;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bundled division list ({@code mdm/address/divisions.tsv}) as a character trie over every name
 * a division is written with: its full name (杭州市) and, where that leaves at least two characters,
 * the name without its suffix (杭州) or without its ethnic-autonomy part (延边朝鲜族自治州 → 延边, 延边州). Loaded
 * once, on first use of {@link #get()}; immutable and safe to share between threads afterwards.
 */
final class Divisions {

  static final String RESOURCE = "/mdm/address/divisions.tsv";

  /** Province, prefecture-level city, county-level district. */
  enum Level {
    PROVINCE,
    CITY,
    DISTRICT
  }

  /**
   * One division. {@code parent} is {@code null} for a province; a municipality (北京市) has one city,
   * itself by name.
   */
  record Division(String code, String name, Level level, Division parent) {

    Division province() {
      return level == Level.PROVINCE ? this : parent.province();
    }

    /** The city a district lies in, the city itself, or {@code null} for a province. */
    Division city() {
      return switch (level) {
        case PROVINCE -> null;
        case CITY -> this;
        case DISTRICT -> parent;
      };
    }

    /** Codes are unique; comparing them spares walking the parent chain. */
    @Override
    public boolean equals(Object o) {
      return o instanceof Division other && code.equals(other.code);
    }

    @Override
    public int hashCode() {
      return code.hashCode();
    }

    @Override
    public String toString() {
      return code + " " + name;
    }
  }

  /** A name found at some position of a text: the division and where the name ends. */
  record Match(Division division, boolean shortForm, int end) {}

  private static final String[] SUFFIXES = {
    "特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "新区", "省", "市", "区", "县", "盟", "旗"
  };

  /**
   * The 55 minority nationalities, longest first, as they appear in autonomous divisions' names.
   */
  private static final String[] NATIONALITIES = {
    "柯尔克孜族", "乌孜别克族", "维吾尔族", "哈萨克族", "达斡尔族", "鄂伦春族", "俄罗斯族", "塔吉克族", "鄂温克族", "塔塔尔族", "蒙古族", "土家族",
    "布依族", "朝鲜族", "傈僳族", "拉祜族", "东乡族", "纳西族", "景颇族", "仫佬族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族",
    "阿昌族", "普米族", "高山族", "裕固族", "保安族", "德昂族", "独龙族", "赫哲族", "门巴族", "珞巴族", "基诺族", "哈尼族", "维吾尔", "蒙古",
    "回族", "藏族", "苗族", "彝族", "壮族", "满族", "侗族", "瑶族", "白族", "傣族", "黎族", "佤族", "畲族", "水族", "土族", "羌族",
    "怒族", "京族"
  };

  private final Node root = new Node();
  private final Map<String, Division> byCode;
  private final Map<Division, Division> municipalCity;

  private Divisions(Map<String, Division> byCode) {
    this.byCode = byCode;
    Map<Division, List<Division>> cities = new HashMap<>();
    for (Division d : byCode.values()) {
      if (d.level() == Level.CITY) {
        cities.computeIfAbsent(d.parent(), p -> new ArrayList<>()).add(d);
      }
    }
    Map<Division, Division> municipal = new HashMap<>();
    cities.forEach(
        (province, list) -> {
          if (list.size() == 1 && list.get(0).name().equals(province.name())) {
            municipal.put(province, list.get(0));
          }
        });
    this.municipalCity = Map.copyOf(municipal);
    for (Division d : byCode.values()) {
      add(d.name(), d, false);
      for (String alias : shortForms(d.name())) {
        add(alias, d, true);
      }
    }
  }

  static Divisions get() {
    return Holder.INSTANCE;
  }

  /** All divisions, for tests and reports. */
  Map<String, Division> byCode() {
    return byCode;
  }

  /** The one city of a municipality (北京市 → 北京市), or {@code null} for other provinces. */
  Division municipalCity(Division province) {
    return municipalCity.get(province);
  }

  /**
   * Every division name that starts at {@code from} in {@code text}, the longest last. Cost is one
   * map look-up per character walked, bounded by the longest name (15 characters).
   */
  List<Match> matchesAt(String text, int from) {
    List<Match> out = List.of();
    Node node = root;
    for (int i = from; i < text.length(); i++) {
      node = node.next.get(text.charAt(i));
      if (node == null) {
        break;
      }
      if (node.names != null) {
        if (out.isEmpty()) {
          out = new ArrayList<>(4);
        }
        for (Name n : node.names) {
          out.add(new Match(n.division(), n.shortForm(), i + 1));
        }
      }
    }
    return out;
  }

  /**
   * The names a division goes by besides its full name: without the suffix (浙江省 → 浙江, 浦东新区 → 浦东),
   * without the nationalities of an autonomous division (广西壮族自治区 → 广西, 恩施土家族苗族自治州 → 恩施) and, for
   * autonomous prefectures, counties and banners, that short name with 州 / 县 / 旗 (延边州, 长阳县). A form
   * shorter than two characters is dropped (城区 has none, 忠县 has none): it would match too much
   * ordinary text.
   */
  static Set<String> shortForms(String name) {
    Set<String> out = new LinkedHashSet<>();
    String suffix = "";
    String stem = name;
    for (String s : SUFFIXES) {
      if (name.endsWith(s) && name.length() > s.length()) {
        suffix = s;
        stem = name.substring(0, name.length() - s.length());
        break;
      }
    }
    if (suffix.startsWith("自治")) {
      stem = withoutNationalities(stem);
    }
    if (stem.length() >= 2 && !stem.equals(name)) {
      out.add(stem);
      switch (suffix) {
        case "自治州" -> out.add(stem + "州");
        case "自治县" -> out.add(stem + "县");
        case "自治旗" -> out.add(stem + "旗");
        default -> {}
      }
    }
    out.remove(name);
    return out;
  }

  /** 恩施土家族苗族 → 恩施; 内蒙古 stays, since 内 alone is no name. */
  private static String withoutNationalities(String stem) {
    boolean stripped = true;
    while (stripped) {
      stripped = false;
      for (String n : NATIONALITIES) {
        if (stem.endsWith(n) && stem.length() - n.length() >= 2) {
          stem = stem.substring(0, stem.length() - n.length());
          stripped = true;
          break;
        }
      }
    }
    return stem;
  }

  private void add(String name, Division d, boolean shortForm) {
    Node node = root;
    for (int i = 0; i < name.length(); i++) {
      node = node.next.computeIfAbsent(name.charAt(i), c -> new Node());
    }
    if (node.names == null) {
      node.names = new ArrayList<>(1);
    }
    for (Name n : node.names) {
      if (n.division().equals(d)) {
        return;
      }
    }
    node.names.add(new Name(d, shortForm));
  }

  static Divisions load(InputStream in) throws IOException {
    Map<String, String[]> rows = new HashMap<>();
    List<String> order = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line = reader.readLine(); // header: code, name, parent
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split("\t", -1);
        if (cells.length != 3) {
          throw new IOException("line for " + cells[0] + " does not have three columns");
        }
        rows.put(cells[0], cells);
        order.add(cells[0]);
      }
    }
    Map<String, Division> byCode = new HashMap<>();
    for (String code : order) {
      resolve(code, rows, byCode);
    }
    return new Divisions(Map.copyOf(byCode));
  }

  /** Rows are sorted by code, parents first, but resolving recursively does not depend on it. */
  private static Division resolve(
      String code, Map<String, String[]> rows, Map<String, Division> byCode) throws IOException {
    Division known = byCode.get(code);
    if (known != null) {
      return known;
    }
    String[] row = rows.get(code);
    if (row == null) {
      throw new IOException("parent code " + code + " is not in the list");
    }
    Division parent = row[2].isEmpty() ? null : resolve(row[2], rows, byCode);
    Level level =
        parent == null
            ? Level.PROVINCE
            : parent.level() == Level.PROVINCE ? Level.CITY : Level.DISTRICT;
    Division d = new Division(code, row[1], level, parent);
    byCode.put(code, d);
    return d;
  }

  private record Name(Division division, boolean shortForm) {}

  private static final class Node {
    private final Map<Character, Node> next = new HashMap<>(4);
    private List<Name> names;
  }

  private static final class Holder {
    private static final Divisions INSTANCE;

    static {
      try (InputStream in = Divisions.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is missing from the class path");
        }
        INSTANCE = load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
    }
  }
}
