package com.onemember.mdm.scoring;

import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/** String similarity measures used by the comparisons. */
final class Similarity {

  private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

  private Similarity() {}

  static double jaroWinkler(String a, String b) {
    return JARO_WINKLER.apply(a, b);
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
