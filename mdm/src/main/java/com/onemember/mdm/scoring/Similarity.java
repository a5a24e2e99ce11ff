package com.onemember.mdm.scoring;

/**
 * String similarity measures used by the comparisons. Jaro–Winkler is written here rather than
 * taken from commons-text because it is the matcher's hottest loop: commons-text wraps every input
 * and allocates per call, which made it 70% of matching time. The test checks this one against
 * commons-text.
 */
final class Similarity {

  private Similarity() {}

  /**
   * Jaro–Winkler similarity in [0, 1]: the standard prefix scale 0.1 and prefix up to 4, boosted
   * only when the Jaro similarity reaches 0.7.
   */
  static double jaroWinkler(String first, String second) {
    if (first.equals(second)) {
      return 1.0;
    }
    // Walk the shorter string and search the longer one, so the measure is symmetric.
    String a = first.length() <= second.length() ? first : second;
    String b = a == first ? second : first;
    int la = a.length();
    int lb = b.length();
    if (la == 0 || lb == 0) {
      return 0.0;
    }
    int window = Math.max(0, Math.max(la, lb) / 2 - 1);
    boolean[] matchedA = new boolean[la];
    boolean[] matchedB = new boolean[lb];
    int matches = 0;
    for (int i = 0; i < la; i++) {
      int from = Math.max(0, i - window);
      int to = Math.min(lb - 1, i + window);
      char c = a.charAt(i);
      for (int j = from; j <= to; j++) {
        if (!matchedB[j] && b.charAt(j) == c) {
          matchedA[i] = true;
          matchedB[j] = true;
          matches++;
          break;
        }
      }
    }
    if (matches == 0) {
      return 0.0;
    }
    int transpositions = 0;
    for (int i = 0, j = 0; i < la; i++) {
      if (matchedA[i]) {
        while (!matchedB[j]) {
          j++;
        }
        if (a.charAt(i) != b.charAt(j)) {
          transpositions++;
        }
        j++;
      }
    }
    double m = matches;
    double jaro = (m / la + m / lb + (m - transpositions / 2.0) / m) / 3.0;
    if (jaro < 0.7) {
      return jaro;
    }
    int prefix = 0;
    for (int i = 0; i < Math.min(4, Math.min(la, lb)) && a.charAt(i) == b.charAt(i); i++) {
      prefix++;
    }
    return jaro + prefix * 0.1 * (1 - jaro);
  }

  /**
   * Optimal-string-alignment distance (Damerau–Levenshtein without repeated edits of one
   * substring): one typo or one swap of neighbouring characters counts 1.
   */
  static int damerau(String a, String b) {
    int n = a.length();
    int m = b.length();
    int[][] d = new int[n + 1][m + 1];
    for (int i = 0; i <= n; i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= m; j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[n][m];
  }

  static boolean blank(String s) {
    return s == null || s.isEmpty();
  }
}
