package com.onemember.connectors.frame;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement an instance file gives with named parameters ({@code :customer_id}), as JDBC wants
 * it: {@code ?} in their place and the names in order. A name the kind does not offer is an error
 * at start-up, not at the first write.
 */
public record NamedStatement(String sql, List<String> parameters) {

  private static final Pattern NAME = Pattern.compile("(?<![:\\w]):([a-z_][a-z0-9_]*)");

  /**
   * @param offered the names the kind fills in
   * @throws IllegalArgumentException naming an unknown parameter
   */
  public static NamedStatement parse(String text, Set<String> offered) {
    Matcher m = NAME.matcher(text);
    StringBuilder sql = new StringBuilder();
    List<String> names = new ArrayList<>();
    while (m.find()) {
      if (!offered.contains(m.group(1))) {
        throw new IllegalArgumentException(
            "unknown parameter :" + m.group(1) + "; this statement may use " + offered);
      }
      names.add(m.group(1));
      m.appendReplacement(sql, "?");
    }
    m.appendTail(sql);
    return new NamedStatement(sql.toString(), names);
  }
}
