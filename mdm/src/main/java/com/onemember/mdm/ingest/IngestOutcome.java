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

  /**
   * Why a change to a record of an erased member is refused. Whoever keeps refusals must not keep
   * the refused record's data with it: that would undo the erasure.
   */
  public static final String ERASED_REFUSAL =
      "该记录所属会员的个人信息已按本人要求删除，不再接收其更新；如本人重新登记，请用新的记录编号 / the personal data of"
          + " this record's member was erased at the person's request, so changes to it are"
          + " no longer taken; if the person signs up again, send a record with a new id";

  /** A record refused with {@code error}: nothing was stored for it. */
  public static IngestOutcome rejected(String error) {
    return new IngestOutcome(Kind.REJECTED, null, error, List.of(), List.of());
  }
}
