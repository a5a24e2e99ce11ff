package com.onemember.mdm.store;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** One stored source record: the payload as it arrived, its clean form and its member. */
@Entity
@Table(name = "source_record")
public class SourceRecordEntity {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false)
  private String source;

  @Column(name = "source_record_id", nullable = false)
  private String sourceRecordId;

  @Column(name = "member_id", nullable = false)
  private UUID memberId;

  @Column(nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  private String raw;

  @Column(nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  private String clean;

  @Column(name = "content_hash", nullable = false)
  private String contentHash;

  @Column(name = "source_updated_at")
  private Instant sourceUpdatedAt;

  @Column(name = "import_id")
  private UUID importId;

  @Column(name = "received_at", nullable = false)
  private Instant receivedAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  @ElementCollection
  @CollectionTable(name = "match_key", joinColumns = @JoinColumn(name = "source_record_pk"))
  @Column(name = "key", nullable = false)
  private Set<String> matchKeys = new HashSet<>();

  protected SourceRecordEntity() {}

  public SourceRecordEntity(String source, String sourceRecordId, Instant receivedAt) {
    this.source = source;
    this.sourceRecordId = sourceRecordId;
    this.receivedAt = receivedAt;
  }

  public Long getId() {
    return id;
  }

  public String getSource() {
    return source;
  }

  public String getSourceRecordId() {
    return sourceRecordId;
  }

  public UUID getMemberId() {
    return memberId;
  }

  public String getRaw() {
    return raw;
  }

  public String getClean() {
    return clean;
  }

  public String getContentHash() {
    return contentHash;
  }

  public Instant getReceivedAt() {
    return receivedAt;
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }

  public Set<String> getMatchKeys() {
    return matchKeys;
  }

  /** Stores a (new or changed) payload with its clean form and keys. */
  public void setContent(
      String raw,
      String clean,
      String contentHash,
      Instant sourceUpdatedAt,
      Set<String> matchKeys,
      Instant at) {
    this.raw = raw;
    this.clean = clean;
    this.contentHash = contentHash;
    this.sourceUpdatedAt = sourceUpdatedAt;
    this.matchKeys.clear();
    this.matchKeys.addAll(matchKeys);
    this.updatedAt = at;
  }

  /**
   * Links the record to a member. The evidence that decided it is in the merge-log entry naming the
   * record.
   */
  public void linkTo(UUID memberId) {
    this.memberId = memberId;
  }

  /** The import whose row first brought this record; {@code null} if it came another way. */
  public UUID getImportId() {
    return importId;
  }

  public void setImportId(UUID importId) {
    this.importId = importId;
  }

  public Instant getSourceUpdatedAt() {
    return sourceUpdatedAt;
  }
}
