package com.onemember.mdm.standardize;

import com.onemember.canonical.Address;
import com.onemember.canonical.Consent;
import com.onemember.canonical.Gender;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.Purchases;
import com.onemember.canonical.ServingStaff;
import com.onemember.canonical.Tag;
import java.time.Instant;
import java.util.List;

/**
 * The clean form of a {@link com.onemember.canonical.SourceRecord}: every value standardised and
 * comparable. This is what matching reads and what is stored beside the raw payload.
 *
 * @param receivedAt when the hub accepted the record
 * @param sourceUpdatedAt when the source last changed it; {@code null} if it does not say
 * @param name {@code null} when the source gave none (a nickname is never a name)
 * @param birthday {@code null} when unknown
 * @param identifiers standardised, without duplicates, in source order
 * @param maskedMobiles platform-masked numbers such as 138****5678: partial evidence only
 * @param purchases what the source reports of the customer's purchases; {@code null} if nothing
 * @param servedBy the staff who serve the customer, each with a non-blank staff id and its source
 *     filled in, at most one entry per source and staff id, in source order; empty when the source
 *     does not say, and when read from a clean form stored before the hub kept it
 */
public record StandardizedRecord(
    String source,
    String sourceRecordId,
    Instant receivedAt,
    Instant sourceUpdatedAt,
    PersonName name,
    String nickname,
    Gender gender,
    Birthday birthday,
    List<Identifier> identifiers,
    List<String> maskedMobiles,
    List<Address> addresses,
    List<Consent> consents,
    List<Tag> tags,
    Purchases purchases,
    List<ServingStaff> servedBy) {

  public StandardizedRecord {
    identifiers = List.copyOf(identifiers);
    maskedMobiles = List.copyOf(maskedMobiles);
    addresses = List.copyOf(addresses);
    consents = List.copyOf(consents);
    tags = List.copyOf(tags);
    servedBy = servedBy == null ? List.of() : List.copyOf(servedBy);
  }

  /**
   * The time survivorship orders records by: the source's own change time when it gives one,
   * otherwise when the hub received the record.
   */
  public Instant effectiveTime() {
    return sourceUpdatedAt != null ? sourceUpdatedAt : receivedAt;
  }

  /** The gender the record states, or the one its name's title implies. */
  public Gender effectiveGender() {
    if (gender != Gender.UNKNOWN) {
      return gender;
    }
    return name != null ? name.genderHint() : Gender.UNKNOWN;
  }
}
