package com.onemember.mdm.bench.generator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Generates the members of a simulated Chinese retail chain as its four kinds of system hold them,
 * with the truth about who is who. The matcher is measured against this truth, so the population
 * reproduces what makes matching hard in practice: a few very common names shared by many
 * strangers, families sharing one mobile number, clerks' homophone typos, masked and mistyped
 * numbers, birthdays without a year.
 */
public final class ChineseMemberGenerator {

  private final long seed;

  public ChineseMemberGenerator(long seed) {
    this.seed = seed;
  }

  /**
   * About {@code records} source records describing fewer people (duplicates across and within
   * systems). Exactly {@code records} records are returned, in the order the systems last changed
   * them; the same seed always gives the same records.
   */
  public List<GeneratedRecord> generate(int records) {
    return population(records).records();
  }

  /** The records together with the people behind them. */
  Population population(int records) {
    if (records < 0) {
      throw new IllegalArgumentException("records must not be negative: " + records);
    }
    return new Simulation(seed).run(records);
  }

  /**
   * Writes the records as the four systems export them: pos-export.csv (GBK),
   * web-shop-customers.csv (UTF-8), wechat-members.csv (UTF-8 with BOM) and store-sheet.csv (UTF-8;
   * Apache POI is not on this module's classpath, so the store sheet is saved as CSV, as Excel's
   * "CSV UTF-8" would); returns the files.
   */
  public static List<Path> writeExports(List<GeneratedRecord> records, Path dir)
      throws IOException {
    return Exports.write(records, dir);
  }
}
