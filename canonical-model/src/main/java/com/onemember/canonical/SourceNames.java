package com.onemember.canonical;

import java.util.regex.Pattern;

/**
 * Source system names and the patterns configuration names them by: {@code pos-*} is every store's
 * POS ({@code pos-store-12}, {@code pos-store-95}); {@code *} matches any characters, nothing else
 * is special.
 */
public final class SourceNames {

  private SourceNames() {}

  /** Whether {@code source} is one of the sources {@code pattern} names. */
  public static boolean matches(String pattern, String source) {
    if (pattern == null || source == null) {
      return false;
    }
    StringBuilder regex = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return source.matches(regex.toString());
  }
}
