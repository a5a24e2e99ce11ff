package com.onemember.mdm.standardize;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The long-distance area code of a city as a record writes it (上海, 上海市, Shanghai, 浙江省杭州市), so that
 * a landline typed without its area code (6234 5678) can still be read. Only the cities in {@code
 * mdm/phone/area-codes.tsv} are known (where the codes come from is in {@code
 * area-codes-SOURCE.txt} beside it); for any other city the answer is {@code null} and the number
 * is reported, not guessed.
 */
final class AreaCodes {

  private static final String RESOURCE = "/mdm/phone/area-codes.tsv";
  private static final Pattern CODE = Pattern.compile("0\\d{2,3}|\\+\\d{3}");

  /** Spaces, apostrophes and hyphens do not tell romanised city names apart: Xi'an is xian. */
  private static final Pattern NOISE = Pattern.compile("[\\s'’`\\-.·]");

  /** 浙江省 / 广西壮族自治区 in front of the city. */
  private static final Pattern PROVINCE = Pattern.compile("^.+?(省|自治区)");

  private static final Map<String, String> BY_NAME = load();

  private AreaCodes() {}

  /**
   * The area code for a city: {@code 021} with its leading 0, or the country code with {@code +}
   * for Hong Kong and Macau; {@code null} when the city is {@code null}, blank or not in the table.
   */
  static String of(String city) {
    String key = key(city);
    if (key == null) {
      return null;
    }
    String code = lookup(key);
    if (code == null) {
      String rest = PROVINCE.matcher(key).replaceFirst("");
      int end = rest.indexOf('市');
      code = lookup(end > 0 ? rest.substring(0, end) : rest);
    }
    return code;
  }

  private static String lookup(String key) {
    if (key.isEmpty()) {
      return null;
    }
    String code = BY_NAME.get(key);
    if (code != null) {
      return code;
    }
    for (String suffix : new String[] {"市", "shi", "city"}) {
      if (key.endsWith(suffix) && key.length() > suffix.length()) {
        code = BY_NAME.get(key.substring(0, key.length() - suffix.length()));
        if (code != null) {
          return code;
        }
      }
    }
    return null;
  }

  private static String key(String city) {
    String text = Text.clean(city);
    if (text == null) {
      return null;
    }
    return NOISE.matcher(Text.simplified(text).toLowerCase(Locale.ROOT)).replaceAll("");
  }

  private static Map<String, String> load() {
    try (InputStream in = AreaCodes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * Parses the table; a row with a malformed code, or a name two rows give different codes, stops
   * the load, because a wrong area code would file a member's landline under another city.
   */
  private static Map<String, String> parse(BufferedReader reader) throws IOException {
    Map<String, String> byName = new HashMap<>();
    String line;
    int number = 0;
    while ((line = reader.readLine()) != null) {
      number++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      if (fields.length < 2 || !CODE.matcher(fields[0]).matches() || fields[1].isBlank()) {
        throw new IllegalStateException(RESOURCE + " line " + number + " is malformed: " + line);
      }
      String code = fields[0];
      put(byName, fields[1].strip(), code, number);
      if (fields.length > 2) {
        for (String alias : fields[2].split(",")) {
          if (!alias.isBlank()) {
            put(byName, alias.strip(), code, number);
          }
        }
      }
    }
    return Map.copyOf(byName);
  }

  private static void put(Map<String, String> byName, String name, String code, int line) {
    String previous = byName.putIfAbsent(name, code);
    if (previous != null && !previous.equals(code)) {
      throw new IllegalStateException(
          RESOURCE
              + " line "
              + line
              + ": "
              + name
              + " has two codes, "
              + previous
              + " and "
              + code);
    }
  }
}
