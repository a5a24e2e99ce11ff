package com.onemember.mdm.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** A golden member row; {@code golden} is the canonical Member as JSON. */
@Entity
@Table(name = "member")
public class MemberEntity {

  @Id private UUID id;

  @Column(nullable = false)
  private long version;

  @Column(name = "merged_into")
  private UUID mergedInto;

  @Column(nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  private String golden;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected MemberEntity() {}

  public MemberEntity(UUID id, Instant createdAt) {
    this.id = id;
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
  }

  public UUID getId() {
    return id;
  }

  public long getVersion() {
    return version;
  }

  public UUID getMergedInto() {
    return mergedInto;
  }

  public String getGolden() {
    return golden;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }

  /** Records a new version of the golden record. */
  public void newVersion(String golden, Instant at) {
    this.version++;
    this.golden = golden;
    this.updatedAt = at;
  }

  /** The id this member is known by now: its own, or its survivor's once merged away. */
  public UUID liveId() {
    return mergedInto == null ? id : mergedInto;
  }

  /** Marks this member as merged into {@code survivor}; its id keeps resolving to the survivor. */
  public void mergeInto(UUID survivor, Instant at) {
    this.mergedInto = survivor;
    this.updatedAt = at;
  }
}
