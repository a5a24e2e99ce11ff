package com.onemember.mdm.ingest;

import java.util.List;
import java.util.UUID;

/**
 * What ingesting one source record did.
 *
 * @param memberId the golden member the record belongs to; {@code null} when refused
 * @param error why the record was refused, in Chinese and English; {@code null} otherwise
 * @param evidence the facts that decided the match
 * @param warnings values of the record that could not be read and were left out (the record was
 *     kept), each naming the field and the reason in Chinese and English; empty when none
 */
public record IngestOutcome(
    Kind kind, UUID memberId, String error, List<String> evidence, List<String> warnings) {

  public IngestOutcome {
    evidence = List.copyOf(evidence);
    warnings = List.copyOf(warnings);
  }

  /** The warnings as one line, as an import report shows them; {@code null} when there are none. */
  public String warningText() {
    return warnings.isEmpty() ? null : String.join("; ", warnings);
  }

  /** The kinds of outcome, as reported per import row. */
  public enum Kind {
    /** The record started a new golden member. */
    CREATED,
    /** The record joined an existing member (and possibly merged members it links). */
    MERGED,
    /** A known record arrived with changed content. */
    UPDATED,
    /** A known record arrived again with the same content; nothing changed. */
    UNCHANGED,
    /** The record could not be read; nothing was stored for it. */
    REJECTED
  }

  /** A record refused with {@code error}: nothing was stored for it. */
  public static IngestOutcome rejected(String error) {
    return new IngestOutcome(Kind.REJECTED, null, error, List.of(), List.of());
  }
}
