package com.onemember.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One source system's copy of a customer, as a connector mapped it. Attribute values are the
 * source's own text (a phone may read {@code +86 138 1234 5678}, a gender {@code 女}); the MDM
 * standardizers turn them into a clean form. Nothing a source sent is dropped: cells that map to no
 * attribute stay in {@link #raw()}.
 *
 * @param source kebab-case name of the sending system, e.g. {@code pos-store-12}
 * @param sourceRecordId the record's id within the source; stable across re-deliveries so that
 *     ingest is idempotent
 * @param sourceUpdatedAt when the source last changed the record; {@code null} if it does not say
 * @param name the customer's name as typed (may be a title such as 王先生, or romanised)
 * @param nickname a display name such as a WeChat nickname; never treated as a name
 * @param gender gender as the source wrote it (男, F, 1…); {@code null} if absent
 * @param birthday birthday as the source wrote it (1990.5.3, 5月3日…); {@code null} if absent
 * @param purchases what the source knows of the customer's purchases; {@code null} if nothing
 * @param raw the record as it arrived: field or column name to text, in source order
 * @param servedBy the staff who serve the customer in the source (its WeCom contacts' owners);
 *     empty when the source does not say. Left out of the JSON when empty, so that records stored
 *     before it read and hash as they did.
 */
public record SourceRecord(
    String source,
    String sourceRecordId,
    Instant sourceUpdatedAt,
    String name,
    String nickname,
    String gender,
    String birthday,
    List<Identifier> identifiers,
    List<Address> addresses,
    List<Consent> consents,
    List<Tag> tags,
    @JsonInclude(JsonInclude.Include.NON_NULL) PurchaseSummary purchases,
    Map<String, String> raw,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ServingStaff> servedBy) {

  public SourceRecord {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sourceRecordId, "sourceRecordId");
    identifiers = identifiers == null ? List.of() : List.copyOf(identifiers);
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
    consents = consents == null ? List.of() : List.copyOf(consents);
    tags = tags == null ? List.of() : List.copyOf(tags);
    raw =
        raw == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(raw));
    servedBy = servedBy == null ? List.of() : List.copyOf(servedBy);
  }

  /** A record from a source that does not say which staff serve the customer. */
  public SourceRecord(
      String source,
      String sourceRecordId,
      Instant sourceUpdatedAt,
      String name,
      String nickname,
      String gender,
      String birthday,
      List<Identifier> identifiers,
      List<Address> addresses,
      List<Consent> consents,
      List<Tag> tags,
      PurchaseSummary purchases,
      Map<String, String> raw) {
    this(
        source,
        sourceRecordId,
        sourceUpdatedAt,
        name,
        nickname,
        gender,
        birthday,
        identifiers,
        addresses,
        consents,
        tags,
        purchases,
        raw,
        List.of());
  }
}
