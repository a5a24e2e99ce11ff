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

  @Column(name = "withdrawn_at")
  private Instant withdrawnAt;

  @Column(name = "withdrawn_because")
  private String withdrawnBecause;

  @Column(name = "erased_at")
  private Instant erasedAt;

  @Column(name = "erased_because")
  private String erasedBecause;

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

  /** Undoes {@link #mergeInto}: the member is live again. */
  public void revive(Instant at) {
    this.mergedInto = null;
    this.updatedAt = at;
  }

  /** Points this merged member at another survivor (when a merge is undone). */
  public void repoint(UUID survivor) {
    this.mergedInto = survivor;
  }

  /**
   * Withdraws a member the rollback of the import that created it left without records; its row
   * stays so that its id says why it is gone.
   */
  public void withdraw(String because, Instant at) {
    this.withdrawnAt = at;
    this.withdrawnBecause = because;
    this.updatedAt = at;
  }

  /** When the member was withdrawn, or {@code null} while it stands. */
  public Instant getWithdrawnAt() {
    return withdrawnAt;
  }

  public String getWithdrawnBecause() {
    return withdrawnBecause;
  }

  /** Marks the member's personal data as erased on request. */
  public void erase(String because, Instant at) {
    this.erasedAt = at;
    this.erasedBecause = because;
    this.updatedAt = at;
  }

  /** When the member's personal data was erased, or {@code null}. */
  public Instant getErasedAt() {
    return erasedAt;
  }

  public String getErasedBecause() {
    return erasedBecause;
  }
}
