package com.onemember.mdm.ingest;

import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.blocking.MatchKeys;
import com.onemember.mdm.scoring.MatchRecord;
import com.onemember.mdm.scoring.MatchRecords;
import com.onemember.mdm.standardize.Problem;
import com.onemember.mdm.standardize.RecordStandardizer;
import com.onemember.mdm.store.RecordJson;
import java.time.Instant;
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
public record IncomingRecord(
    ChangeSetWriter.NewRecord incoming, MatchRecord features, IngestOutcome refused) {

  private static final RecordStandardizer STANDARDIZER = new RecordStandardizer();

  /**
   * {@code record}, brought by a row of import {@code importId} (or null), arrived at {@code now}.
   */
  public static IncomingRecord of(SourceRecord record, UUID importId, Instant now) {
    RecordStandardizer.Outcome standardized = STANDARDIZER.standardize(record, now);
    if (standardized instanceof RecordStandardizer.Refused refused) {
      return new IncomingRecord(null, null, IngestOutcome.rejected(refused.message()));
    }
    RecordStandardizer.Accepted accepted = (RecordStandardizer.Accepted) standardized;
    MatchRecord features = MatchRecords.of(accepted.record());
    String raw = RecordJson.write(record);
    return new IncomingRecord(
        new ChangeSetWriter.NewRecord(
            record,
            accepted.record(),
            raw,
            RecordJson.sha256(raw),
            MatchKeys.of(features),
            importId,
            accepted.warnings().stream().map(Problem::message).toList()),
        features,
        null);
  }
}
