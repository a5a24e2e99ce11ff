package com.onemember.mdm.bench;

import com.onemember.canonical.Gender;
import com.onemember.mdm.bench.generator.ChineseMemberGenerator;
import com.onemember.mdm.bench.generator.GeneratedRecord;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.scoring.MatchRecords;
import com.onemember.mdm.standardize.Birthday;
import com.onemember.mdm.standardize.RecordStandardizer;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** Loads the public benchmark datasets (see their SOURCE.md files) into match features. */
final class Datasets {

  private static final Pattern FEBRL_ID = Pattern.compile("rec-(\\d+)-(org|dup-\\d+)");

  private Datasets() {}

  /** FEBRL files: the entity is the number in rec-N-org / rec-N-dup-k. */
  static List<LabelledRecord> febrl(Path... files) throws IOException {
    List<LabelledRecord> out = new ArrayList<>();
    for (Path file : files) {
      for (CSVRecord row : read(file, true)) {
        Matcher m = FEBRL_ID.matcher(row.get("rec_id").trim());
        if (!m.matches()) {
          throw new IllegalStateException("unexpected rec_id " + row.get("rec_id"));
        }
        String line = (row.get("street_number").trim() + " " + row.get("address_1").trim()).trim();
        out.add(
            new LabelledRecord(
                m.group(1),
                new MatchRecord(
                    row.get("rec_id").trim(),
                    blankToNull(row.get("given_name")),
                    blankToNull(row.get("surname")),
                    blankToNull(row.get("given_name")),
                    blankToNull(row.get("surname")),
                    compactDate(row.get("date_of_birth").trim()),
                    Gender.UNKNOWN,
                    blankToNull(row.get("suburb")),
                    blankToNull(row.get("postcode")),
                    blankToNull(line),
                    Set.of(),
                    Set.of(),
                    blankToNull(row.get("soc_sec_id")))));
      }
    }
    return out;
  }

  /** Splink's historical_figures_with_errors_50k: the entity is the cluster column. */
  static List<LabelledRecord> historical(Path file) throws IOException {
    List<LabelledRecord> out = new ArrayList<>();
    for (CSVRecord row : read(file, false)) {
      String gender = row.get("gender").trim().toLowerCase(Locale.ROOT);
      out.add(
          new LabelledRecord(
              row.get("cluster"),
              new MatchRecord(
                  row.get("unique_id"),
                  blankToNull(row.get("first_name")),
                  blankToNull(row.get("surname")),
                  blankToNull(row.get("first_name")),
                  blankToNull(row.get("surname")),
                  isoDate(row.get("dob").trim()),
                  gender.equals("male")
                      ? Gender.MALE
                      : gender.equals("female") ? Gender.FEMALE : Gender.UNKNOWN,
                  blankToNull(row.get("birth_place")),
                  blankToNull(row.get("postcode_fake")),
                  null,
                  Set.of(),
                  Set.of(),
                  null)));
    }
    return out;
  }

  /**
   * Generated Chinese member data, standardised as the hub would; records the hub would refuse are
   * left out (their number is printed).
   */
  static List<LabelledRecord> chinese(int records, long seed) {
    List<LabelledRecord> out = new ArrayList<>();
    RecordStandardizer standardizer = new RecordStandardizer();
    java.time.Instant now = java.time.Instant.parse("2026-11-01T00:00:00Z");
    int refused = 0;
    int warned = 0;
    for (GeneratedRecord g : new ChineseMemberGenerator(seed).generate(records)) {
      if (standardizer.standardize(g.record(), now) instanceof RecordStandardizer.Accepted a) {
        out.add(new LabelledRecord(g.person(), g.household(), MatchRecords.of(a.record())));
        warned += a.warnings().isEmpty() ? 0 : 1;
      } else {
        refused++;
      }
    }
    System.out.printf(
        "chinese: of %d generated records %d kept with warnings (a value left out), %d refused%n",
        records, warned, refused);
    return out;
  }

  private static List<CSVRecord> read(Path file, boolean spaceAfterComma) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return CSVFormat.DEFAULT
          .builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .setIgnoreSurroundingSpaces(spaceAfterComma)
          .setTrim(true)
          .get()
          .parse(in)
          .getRecords();
    }
  }

  private static String blankToNull(String s) {
    if (s == null) {
      return null;
    }
    String t = s.trim().toLowerCase(Locale.ROOT);
    return t.isEmpty() ? null : t;
  }

  /** YYYYMMDD; FEBRL corrupts some dates, which then count as missing. */
  private static Birthday compactDate(String s) {
    if (s.length() != 8) {
      return null;
    }
    return date(s.substring(0, 4), s.substring(4, 6), s.substring(6, 8));
  }

  private static Birthday isoDate(String s) {
    if (s.length() != 10) {
      return null;
    }
    return date(s.substring(0, 4), s.substring(5, 7), s.substring(8, 10));
  }

  private static Birthday date(String y, String m, String d) {
    try {
      java.time.LocalDate date =
          java.time.LocalDate.of(Integer.parseInt(y), Integer.parseInt(m), Integer.parseInt(d));
      return new Birthday(date.getYear(), date.getMonthValue(), date.getDayOfMonth());
    } catch (RuntimeException e) {
      return null;
    }
  }
}
