package com.onemember.mdm.bench.generator;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.standardize.MobileNumbers;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Prints the statistics of a generated population, to check that its distributions are what the
 * matcher should face, and optionally writes the exports.
 *
 * <p>Run: {@code ./mvnw -q -pl mdm test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=com.onemember.mdm.bench.generator.PopulationReport -Dexec.args="100000 7
 * [export-dir]"}
 */
public final class PopulationReport {

  private PopulationReport() {}

  public static void main(String[] args) throws Exception {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 7;
    ChineseMemberGenerator generator = new ChineseMemberGenerator(seed);
    long start = System.nanoTime();
    Population population = generator.population(size);
    double firstSeconds = (System.nanoTime() - start) / 1e9;
    start = System.nanoTime();
    generator.population(size);
    double secondSeconds = (System.nanoTime() - start) / 1e9;
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    print(population);
    System.out.printf(
        "time: %.2f s first run (class loading included), %.2f s second run; "
            + "heap in use with the population live: %d MB%n",
        firstSeconds, secondSeconds, heap >> 20);
    if (args.length > 2) {
      for (Path file :
          ChineseMemberGenerator.writeExports(population.records(), Path.of(args[2]))) {
        System.out.println("wrote " + file.toAbsolutePath());
      }
    }
  }

  static void print(Population population) {
    List<GeneratedRecord> records = population.records();
    Map<String, Person> people = new HashMap<>();
    for (Person p : population.people()) {
      people.put(p.id, p);
    }
    Map<String, Integer> perPerson = new HashMap<>();
    Map<String, Set<String>> households = new HashMap<>();
    Map<SourceShape, Integer> shapes = new EnumMap<>(SourceShape.class);
    int phones = 0;
    int masked = 0;
    int mistyped = 0;
    int weChat = 0;
    int weChatMasked = 0;
    int chineseNames = 0;
    int typos = 0;
    int pos = 0;
    int noBirthday = 0;
    int sheet = 0;
    int sheetYearless = 0;
    for (GeneratedRecord r : records) {
      perPerson.merge(r.person(), 1, Integer::sum);
      shapes.merge(r.shape(), 1, Integer::sum);
      if (r.household() != null) {
        households.computeIfAbsent(r.household(), k -> new HashSet<>()).add(r.person());
      }
      SourceRecord s = r.record();
      Person truth = people.get(r.person());
      for (Identifier id : s.identifiers()) {
        if (id.type() != IdentifierType.MOBILE) {
          continue;
        }
        phones++;
        MobileNumbers.Result result = MobileNumbers.standardize(id.value());
        if (result instanceof MobileNumbers.Masked) {
          masked++;
          if (r.shape() == SourceShape.WECHAT_MINI_PROGRAM) {
            weChatMasked++;
          }
        } else if (result instanceof MobileNumbers.Mobile m
            && !truth.mobiles().contains(m.value())) {
          mistyped++;
        }
      }
      if (r.shape() == SourceShape.WECHAT_MINI_PROGRAM) {
        weChat++;
      }
      if ((r.shape() == SourceShape.POS || r.shape() == SourceShape.STORE_SHEET)
          && s.name() != null
          && s.name().length() == truth.name().length()
          && !s.name().matches(".*(先生|女士|小姐|太太|阿姨|老师|总)")) {
        chineseNames++;
        if (!s.name().equals(truth.name())) {
          typos++;
        }
      }
      if (r.shape() == SourceShape.POS) {
        pos++;
        if (s.birthday() == null) {
          noBirthday++;
        }
      }
      if (r.shape() == SourceShape.STORE_SHEET) {
        sheet++;
        if (s.birthday() != null && !s.birthday().matches(".*\\d{4}.*")) {
          sheetYearless++;
        }
      }
    }
    Map<String, Map<String, Set<String>>> fullNumbers = new HashMap<>();
    for (GeneratedRecord r : records) {
      if (r.household() == null) {
        continue;
      }
      for (Identifier id : r.record().identifiers()) {
        if (id.type() == IdentifierType.MOBILE
            && MobileNumbers.standardize(id.value()) instanceof MobileNumbers.Mobile m) {
          fullNumbers
              .computeIfAbsent(r.household(), k -> new HashMap<>())
              .computeIfAbsent(m.value(), k -> new HashSet<>())
              .add(r.person());
        }
      }
    }
    long showingShared =
        fullNumbers.values().stream()
            .filter(numbers -> numbers.values().stream().anyMatch(holders -> holders.size() > 1))
            .count();
    long couples =
        households.values().stream()
            .filter(
                m ->
                    m.stream().anyMatch(id -> people.get(id).male)
                        && m.stream().anyMatch(id -> !people.get(id).male))
            .count();
    Map<Integer, Integer> histogram = new TreeMap<>();
    perPerson.values().forEach(n -> histogram.merge(n, 1, Integer::sum));
    long inHouseholds = households.values().stream().mapToInt(Set::size).sum();
    long sharedHouseholds = households.values().stream().filter(m -> m.size() > 1).count();
    System.out.printf("records: %d%n", records.size());
    System.out.printf("distinct persons: %d%n", perPerson.size());
    System.out.printf(
        "households: %d (%d with two or more members in the data); persons in households: %d"
            + " (%.1f%%)%n",
        households.size(), sharedHouseholds, inHouseholds, 100.0 * inHouseholds / perPerson.size());
    System.out.printf(
        "households whose records show one full number for two members: %d (%.1f%%);"
            + " with both a man and a woman: %d%n",
        showingShared, 100.0 * showingShared / sharedHouseholds, couples);
    System.out.println("records per person: " + histogram);
    System.out.println("records per shape: " + shapes);
    Map<String, Integer> byName = new HashMap<>();
    for (Person p : population.people()) {
      byName.merge(p.name(), 1, Integer::sum);
    }
    System.out.println("most common full names (distinct persons):");
    byName.entrySet().stream()
        .sorted(
            Map.Entry.<String, Integer>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(10)
        .forEach(e -> System.out.printf("  %s %d%n", e.getKey(), e.getValue()));
    long shared = byName.values().stream().filter(n -> n > 1).count();
    long inShared = byName.values().stream().filter(n -> n > 1).mapToLong(n -> n).sum();
    System.out.printf(
        "full names held by more than one person: %d names, %d persons (%.1f%% of persons)%n",
        shared, inShared, 100.0 * inShared / population.people().size());
    System.out.printf(
        "phones written: %d; masked %.1f%% of them; WeChat records with a masked phone %.1f%%;"
            + " mistyped %.2f%%%n",
        phones, 100.0 * masked / phones, 100.0 * weChatMasked / weChat, 100.0 * mistyped / phones);
    System.out.printf(
        "POS and store-sheet full names differing from the true name (typo or traditional):"
            + " %.1f%%%n",
        100.0 * typos / chineseNames);
    System.out.printf(
        "POS records without a birthday: %.1f%%; store-sheet records with a year-less birthday:"
            + " %.1f%%%n",
        100.0 * noBirthday / pos, 100.0 * sheetYearless / sheet);
  }
}
