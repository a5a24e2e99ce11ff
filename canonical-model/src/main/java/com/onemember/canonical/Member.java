package com.onemember.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A golden record: the hub's one view of a person, survived from the source records linked to it.
 *
 * @param version increases by one on every change
 * @param birthday ISO date, or {@code --MM-DD} when no source knows the year; {@code null} if
 *     unknown
 * @param purchases totals over the member's source records; {@code null} when no source says
 * @param lineage for every golden value, the source records it came from and the survivorship rule
 *     that chose it
 * @param servedBy the staff who serve the person, over all the member's source records: one entry
 *     per system and staff id, ordered by system, then staff id. Left out of the JSON when empty,
 *     so that golden records stored before it read as they did.
 */
public record Member(
    UUID id,
    long version,
    String name,
    Gender gender,
    String birthday,
    List<Identifier> identifiers,
    List<Address> addresses,
    List<Consent> consents,
    List<Tag> tags,
    @JsonInclude(JsonInclude.Include.NON_NULL) Purchases purchases,
    List<Lineage> lineage,
    Instant createdAt,
    Instant updatedAt,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ServingStaff> servedBy) {

  public Member {
    identifiers = identifiers == null ? List.of() : List.copyOf(identifiers);
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
    consents = consents == null ? List.of() : List.copyOf(consents);
    tags = tags == null ? List.of() : List.copyOf(tags);
    lineage = lineage == null ? List.of() : List.copyOf(lineage);
    servedBy = servedBy == null ? List.of() : List.copyOf(servedBy);
  }

  /** A golden record no source says any staff serve. */
  public Member(
      UUID id,
      long version,
      String name,
      Gender gender,
      String birthday,
      List<Identifier> identifiers,
      List<Address> addresses,
      List<Consent> consents,
      List<Tag> tags,
      Purchases purchases,
      List<Lineage> lineage,
      Instant createdAt,
      Instant updatedAt) {
    this(
        id,
        version,
        name,
        gender,
        birthday,
        identifiers,
        addresses,
        consents,
        tags,
        purchases,
        lineage,
        createdAt,
        updatedAt,
        List.of());
  }
}
