package com.onemember.mdm.matching;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.ServingStaff;
import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.standardize.RecordStandardizer;
import com.onemember.mdm.standardize.StandardizedRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builds standardised records for tests: {@code aRecord().name("王伟").mobile("138…").build()}. */
public final class Records {

  private String source = "pos-store-12";
  private String id = UUID.randomUUID().toString();
  private String name;
  private String gender;
  private String birthday;
  private Instant updatedAt;
  private final List<Identifier> identifiers = new ArrayList<>();
  private final List<ServingStaff> servedBy = new ArrayList<>();

  public static Records aRecord() {
    return new Records();
  }

  public Records source(String source) {
    this.source = source;
    return this;
  }

  public Records id(String id) {
    this.id = id;
    return this;
  }

  public Records name(String name) {
    this.name = name;
    return this;
  }

  public Records gender(String gender) {
    this.gender = gender;
    return this;
  }

  public Records birthday(String birthday) {
    this.birthday = birthday;
    return this;
  }

  public Records updatedAt(String instant) {
    this.updatedAt = Instant.parse(instant);
    return this;
  }

  public Records mobile(String mobile) {
    identifiers.add(Identifier.of(IdentifierType.MOBILE, mobile));
    return this;
  }

  /** A mobile the record's system verified as the person's (a WeChat phone code's). */
  public Records verifiedMobile(String mobile) {
    identifiers.add(Identifier.verified(IdentifierType.MOBILE, mobile));
    return this;
  }

  public Records email(String email) {
    identifiers.add(Identifier.of(IdentifierType.EMAIL, email));
    return this;
  }

  public Records nationalId(String number) {
    identifiers.add(Identifier.of(IdentifierType.NATIONAL_ID, number));
    return this;
  }

  public Records unionid(String unionid) {
    identifiers.add(Identifier.of(IdentifierType.WECHAT_UNIONID, unionid));
    return this;
  }

  public Records card(String scope, String number) {
    identifiers.add(new Identifier(IdentifierType.MEMBER_CARD, number, scope));
    return this;
  }

  /** Staff the record's system says serve the customer (its WeCom contact owner). */
  public Records servedBy(ServingStaff staff) {
    servedBy.add(staff);
    return this;
  }

  /** Staff of {@code source} serving the customer, with no dates known. */
  public Records servedBy(String source, String staffId) {
    return servedBy(ServingStaff.of(source, staffId));
  }

  public SourceRecord raw() {
    return new SourceRecord(
        source,
        id,
        updatedAt,
        name,
        null,
        gender,
        birthday,
        identifiers,
        null,
        null,
        null,
        null,
        null,
        servedBy);
  }

  public StandardizedRecord build() {
    RecordStandardizer.Outcome out =
        new RecordStandardizer().standardize(raw(), Instant.parse("2026-11-01T00:00:00Z"));
    if (out instanceof RecordStandardizer.Accepted a) {
      return a.record();
    }
    throw new IllegalArgumentException(((RecordStandardizer.Refused) out).message());
  }

  /** The match features of the built record, as the matcher reads it. */
  public com.onemember.mdm.scoring.MatchRecord features() {
    return com.onemember.mdm.scoring.MatchRecords.of(build());
  }
}
