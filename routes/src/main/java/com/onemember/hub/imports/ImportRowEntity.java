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

  /** Outcome of a row refused when the file was read or when it was standardised. */
  static final String REJECTED = "rejected";

  @EmbeddedId private Key key;

  @Column(name = "source_record_id")
  private String sourceRecordId;

  @Column(nullable = false)
  private String outcome;

  private String error;

  @Column(nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  private String raw;

  /** The source record queued for this row (V16); {@code null} for refused rows. */
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

  /** The source record JSON this row was staged as; {@code null} for refused rows. */
  String getRecord() {
    return record;
  }

  boolean isPending() {
    return PENDING.equals(outcome);
  }

  void settle(String outcome, String error, Instant at) {
    this.outcome = outcome;
    this.error = error;
    this.processedAt = at;
  }
}
