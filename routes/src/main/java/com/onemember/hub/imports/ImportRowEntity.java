package com.onemember.hub.imports;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** One data row of an import and what became of it. */
@Entity
@Table(name = "import_row")
class ImportRowEntity {

  /** Import id and data-row number (from 1). */
  @Embeddable
  record Key(@Column(name = "import_id") UUID importId, @Column(name = "row_no") int rowNo)
      implements Serializable {}

  /** Outcome of a row that is queued and not yet matched. */
  static final String PENDING = "pending";

  /**
   * Outcome of a row refused as it was read (no name and no identifier at all), when it was matched
   * (nothing in it could be read that identifies a person, or its member was erased), or that could
   * not be processed or queued at all.
   */
  static final String REJECTED = "rejected";

  @EmbeddedId private Key key;

  @Column(name = "source_record_id")
  private String sourceRecordId;

  @Column(nullable = false)
  private String outcome;

  private String error;

  /**
   * Values of the row that could not be read and were left out of its record, each naming the
   * column or field and why, in Chinese and English, joined with {@code "; "}; {@code null} when
   * there are none (V20). Staging's (a formula cell) come first, then the standardizer's.
   */
  private String warnings;

  @Column(nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  private String raw;

  /**
   * The source record queued for this row (V16); {@code null} for rows refused while the file was
   * read, before V20.
   */
  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  private String record;

  @Column(name = "processed_at")
  private Instant processedAt;

  protected ImportRowEntity() {}

  ImportRowEntity(Key key, String sourceRecordId, String raw) {
    this(key, sourceRecordId, raw, null);
  }

  ImportRowEntity(Key key, String sourceRecordId, String raw, String record) {
    this.record = record;
    this.key = key;
    this.sourceRecordId = sourceRecordId;
    this.raw = raw;
    this.outcome = PENDING;
  }

  Key getKey() {
    return key;
  }

  String getOutcome() {
    return outcome;
  }

  /** The source record JSON this row was staged as; {@code null} for rows staged before V20. */
  String getRecord() {
    return record;
  }

  boolean isPending() {
    return PENDING.equals(outcome);
  }

  /**
   * Settles the row. The warnings found when the row is matched are added to those staging stored
   * with it (a formula cell), which are kept.
   *
   * @param warnings as {@link com.onemember.mdm.ingest.IngestOutcome#warningText()}; {@code null}
   *     when there are none
   */
  void settle(String outcome, String error, String warnings, Instant at) {
    this.outcome = outcome;
    this.error = error;
    this.warnings = joined(this.warnings, warnings);
    this.processedAt = at;
  }

  /** {@code earlier; later}, or whichever of them is there; {@code null} for none. */
  static String joined(String earlier, String later) {
    if (earlier == null || earlier.isEmpty()) {
      return later == null || later.isEmpty() ? null : later;
    }
    return later == null || later.isEmpty() ? earlier : earlier + "; " + later;
  }
}
