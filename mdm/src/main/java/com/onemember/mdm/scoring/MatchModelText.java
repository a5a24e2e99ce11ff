package com.onemember.mdm.scoring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A trained model as tab-separated text, so that it can ship with the hub, be read by a person and
 * be compared between versions in review. One line per fact:
 *
 * <pre>
 * prior   0.00006
 * level   MOBILE  0  a number in common  m  0.7591  u  0.000062
 * exact   SURNAME 0.023147
 * tf      SURNAME wang    0.0712
 * </pre>
 *
 * Levels are written by index and name; reading checks that the name still fits the index, so a
 * model saved before a comparison changed its levels is refused rather than misread.
 */
public final class MatchModelText {

  private MatchModelText() {}

  public static String write(MatchModel model) {
    StringBuilder sb = new StringBuilder();
    sb.append("# OneMember match model: m/u per comparison level, prior, term frequencies\n");
    sb.append("prior\t").append(model.prior()).append('\n');
    for (Comparison c : Comparison.values()) {
      for (int l = 0; l < c.levels().size(); l++) {
        sb.append(
            String.join(
                "\t",
                "level",
                c.name(),
                Integer.toString(l),
                c.levels().get(l),
                "m",
                Double.toString(model.m(c, l)),
                "u",
                Double.toString(model.u(c, l))));
        sb.append('\n');
      }
      Double exact = model.averageExactAgreement(c);
      if (exact != null) {
        sb.append("exact\t").append(c.name()).append('\t').append(exact).append('\n');
      }
    }
    model
        .termFrequencies()
        .shares()
        .forEach(
            (c, shares) ->
                shares.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(
                        e ->
                            sb.append("tf\t")
                                .append(c.name())
                                .append('\t')
                                .append(e.getKey())
                                .append('\t')
                                .append(e.getValue())
                                .append('\n')));
    return sb.toString();
  }

  /**
   * @throws IllegalArgumentException naming the line, when the text is not a model of this
   *     version's comparisons
   */
  public static MatchModel read(String text) {
    Map<Comparison, double[]> m = new EnumMap<>(Comparison.class);
    Map<Comparison, double[]> u = new EnumMap<>(Comparison.class);
    Map<Comparison, Double> exact = new EnumMap<>(Comparison.class);
    Map<Comparison, Map<String, Double>> tf = new EnumMap<>(Comparison.class);
    for (Comparison c : Comparison.values()) {
      m.put(c, new double[c.levels().size()]);
      u.put(c, new double[c.levels().size()]);
    }
    double prior = Double.NaN;
    int lineNo = 0;
    try (BufferedReader in = new BufferedReader(new StringReader(text))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        switch (f[0]) {
          case "prior" -> prior = Double.parseDouble(f[1]);
          case "level" -> {
            Comparison c = Comparison.valueOf(f[1]);
            int level = Integer.parseInt(f[2]);
            if (level >= c.levels().size() || !c.levels().get(level).equals(f[3])) {
              throw new IllegalArgumentException(
                  "line " + lineNo + ": " + c + " has no level " + level + " named " + f[3]);
            }
            m.get(c)[level] = Double.parseDouble(f[5]);
            u.get(c)[level] = Double.parseDouble(f[7]);
          }
          case "exact" -> exact.put(Comparison.valueOf(f[1]), Double.parseDouble(f[2]));
          case "tf" ->
              tf.computeIfAbsent(Comparison.valueOf(f[1]), k -> new HashMap<>())
                  .put(f[2], Double.parseDouble(f[3]));
          default ->
              throw new IllegalArgumentException(
                  "line " + lineNo + ": unknown entry " + f[0].toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException && e.getMessage().startsWith("line ")) {
        throw e;
      }
      throw new IllegalArgumentException("line " + lineNo + ": " + e.getMessage(), e);
    }
    if (Double.isNaN(prior)) {
      throw new IllegalArgumentException("the model has no prior line");
    }
    for (Comparison c : Comparison.values()) {
      for (double p : m.get(c)) {
        if (p <= 0) {
          throw new IllegalArgumentException("the model lacks the levels of " + c);
        }
      }
    }
    return new MatchModel(m, u, prior, TermFrequencies.of(tf), exact);
  }
}
