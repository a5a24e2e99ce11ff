package com.onemember.mdm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.blocking.MatchKeys;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.scoring.MatchRecords;
import com.onemember.mdm.standardize.Problem;
import com.onemember.mdm.standardize.RecordStandardizer;
import com.onemember.mdm.standardize.StandardizedRecord;
import com.onemember.mdm.store.RecordJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A source record made ready for a decision, the same way for a single ingest and a bulk chunk:
 * standardised at the time it arrived, its match features and keys computed once, its stored form
 * and content hash; or, when nothing in it identifies a person, the refusal.
 *
 * @param incoming the record as the writers take it; null when refused
 * @param features its match features; null when refused
 * @param refused the outcome of a refused record; null when accepted
 */
public record IncomingRecord(NewRecord incoming, MatchRecord features, IngestOutcome refused) {

  private static final RecordStandardizer STANDARDIZER = new RecordStandardizer();

  /**
   * {@code record}, brought by a row of import {@code importId} (or null), arrived at {@code now}.
   */
  public static IncomingRecord of(SourceRecord record, UUID importId, Instant now) {
    // the stored form, written once; NUL characters, which PostgreSQL cannot store, come out first
    String raw = RecordJson.write(record);
    List<String> removed = new ArrayList<>();
    if (holdsNul(raw)) {
      record = stripped(record, removed);
      raw = RecordJson.write(record);
    }
    RecordStandardizer.Outcome standardized = STANDARDIZER.standardize(record, now);
    if (standardized instanceof RecordStandardizer.Refused refused) {
      return new IncomingRecord(null, null, IngestOutcome.rejected(refused.message()));
    }
    RecordStandardizer.Accepted accepted = (RecordStandardizer.Accepted) standardized;
    MatchRecord features = MatchRecords.of(accepted.record());
    return new IncomingRecord(
        new NewRecord(
            record,
            accepted.record(),
            raw,
            RecordJson.sha256(raw),
            MatchKeys.of(features),
            importId,
            warnings(removed, accepted.warnings())),
        features,
        null);
  }

  /** The match keys ({@link MatchKeys}) of a standardised record, sorted, as they are stored. */
  public static List<String> keysOf(StandardizedRecord clean) {
    return MatchKeys.of(MatchRecords.of(clean));
  }

  /**
   * Why NUL characters were taken out of a record: PostgreSQL cannot store them in text or jsonb,
   * and one in a note would otherwise fail the whole record again and again.
   */
  public static final String NUL_REMOVED =
      "含空字符 (NUL, 0x00)，数据库无法保存，已去掉 / held NUL characters (0x00), which the"
          + " database cannot store; they were removed: ";

  private static List<String> warnings(List<String> removed, List<Problem> problems) {
    List<String> out = new ArrayList<>();
    if (!removed.isEmpty()) {
      out.add(NUL_REMOVED + String.join(", ", removed));
    }
    problems.forEach(p -> out.add(p.message()));
    return List.copyOf(out);
  }

  /** {@code record} with NUL characters removed from every text in it (see below). */
  public static SourceRecord withoutNul(SourceRecord record) {
    return withoutNul(record, new ArrayList<>());
  }

  /**
   * {@code record} with NUL characters removed from every text in it, naming in {@code removed} the
   * fields they were in; the record itself when it has none (nearly always: the check is on its
   * JSON).
   */
  public static SourceRecord withoutNul(SourceRecord record, List<String> removed) {
    return holdsNul(RecordJson.write(record)) ? stripped(record, removed) : record;
  }

  /** Whether a record's JSON holds a NUL character (escaped, as JSON writes it). */
  private static boolean holdsNul(String json) {
    return json.contains("\\u0000");
  }

  private static SourceRecord stripped(SourceRecord record, List<String> removed) {
    JsonNode tree = RecordJson.mapper().valueToTree(record);
    strip(tree, "", removed);
    return RecordJson.mapper().convertValue(tree, SourceRecord.class);
  }

  private static void strip(JsonNode node, String path, List<String> removed) {
    if (node instanceof ObjectNode object) {
      for (var it = object.properties().iterator(); it.hasNext(); ) {
        var field = it.next();
        String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        if (field.getValue().isTextual() && field.getValue().textValue().indexOf('\0') >= 0) {
          object.put(field.getKey(), field.getValue().textValue().replace("\0", ""));
          removed.add(at);
        } else {
          strip(field.getValue(), at, removed);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode item = array.get(i);
        if (item.isTextual() && item.textValue().indexOf('\0') >= 0) {
          array.set(i, item.textValue().replace("\0", ""));
          removed.add(path + "[" + i + "]");
        } else {
          strip(item, path + "[" + i + "]", removed);
        }
      }
    }
  }
}
