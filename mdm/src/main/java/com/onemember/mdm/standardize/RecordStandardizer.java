package com.onemember.mdm.standardize;

import com.onemember.canonical.Address;
import com.onemember.canonical.Gender;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.Purchases;
import com.onemember.canonical.ServingStaff;
import com.onemember.canonical.SourceRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Standardises a whole source record. A value that cannot be read (an invalid or unallocated phone,
 * an impossible birthday, an unknown gender code, a broken e-mail) is a warning: it stays in the
 * raw record, is left out of the clean record (so out of match keys and golden attributes), and the
 * person is kept. A record is refused only when nothing in it identifies a person: no readable
 * name, phone or identifier of any kind. Guessing a value would be worse than leaving it out;
 * dropping a customer for one bad cell would be worse still.
 */
public final class RecordStandardizer {

  /** The outcome for one record. */
  public sealed interface Outcome permits Accepted, Refused {}

  /**
   * The clean form of an accepted record, with the values left out of it: one warning per value
   * that could not be read, each naming the field and the reason in Chinese and English.
   */
  public record Accepted(StandardizedRecord record, List<Problem> warnings) implements Outcome {

    public Accepted {
      warnings = List.copyOf(warnings);
    }
  }

  /** Why a record was refused: one problem per bad value, each in Chinese and English. */
  public record Refused(List<Problem> problems) implements Outcome {

    public String message() {
      return String.join("; ", problems.stream().map(Problem::message).toList());
    }
  }

  private static final int MAX_IDENTIFIER_LENGTH = 128;

  /** Standardises {@code record}, received by the hub at {@code receivedAt}. */
  public Outcome standardize(SourceRecord record, Instant receivedAt) {
    List<Problem> warnings = new ArrayList<>();
    PersonName name = take(PersonNames.standardize(record.name()), warnings);
    Gender gender = take(Genders.standardize(record.gender()), warnings);
    Birthday birthday = take(Birthdays.standardize(record.birthday()), warnings);
    Purchases purchases = take(PurchaseSummaries.standardize(record.purchases()), warnings);
    List<Address> addresses =
        record.addresses().stream()
            .filter(a -> !a.isEmpty())
            .map(RecordStandardizer::clean)
            .toList();

    Set<Identifier> identifiers = new LinkedHashSet<>();
    List<String> masked = new ArrayList<>();
    String city = addresses.isEmpty() ? null : addresses.get(0).city();
    for (Identifier id : record.identifiers()) {
      standardizeIdentifier(id, city, identifiers, masked, warnings);
    }
    if (name == null && identifiers.isEmpty() && masked.isEmpty()) {
      List<Problem> problems = new ArrayList<>();
      problems.add(
          new Problem(
              "record",
              warnings.isEmpty()
                  ? "既没有姓名，也没有手机号、邮箱、微信或会员卡号 / The row has no name and no phone, e-mail,"
                      + " WeChat id or member card number."
                  : "没有可识别此人的信息：姓名、电话和各类编号都无法读取 / Nothing in the row identifies"
                      + " a person: no name, phone or id of any kind could be read."));
      problems.addAll(warnings);
      return new Refused(problems);
    }
    return new Accepted(
        new StandardizedRecord(
            record.source(),
            record.sourceRecordId(),
            receivedAt,
            record.sourceUpdatedAt(),
            name,
            Text.clean(record.nickname()),
            gender == null ? Gender.UNKNOWN : gender,
            birthday,
            List.copyOf(identifiers),
            masked,
            addresses,
            record.consents(),
            record.tags(),
            purchases,
            servedBy(record)),
        warnings);
  }

  /**
   * The record's serving staff as matching and survivorship read them: an entry without a staff id
   * says nothing and is dropped (silently: it is no value of the customer's), an id is trimmed and
   * otherwise kept as the system spells it (it is looked up as given), a missing source is the
   * record's own, and a pair named twice counts once (its first entry).
   */
  static List<ServingStaff> servedBy(SourceRecord record) {
    Map<List<String>, ServingStaff> kept = new LinkedHashMap<>();
    for (ServingStaff s : record.servedBy()) {
      String staffId = s.staffId() == null ? null : s.staffId().strip();
      if (staffId == null || staffId.isEmpty()) {
        continue;
      }
      String source =
          s.source() == null || s.source().isBlank() ? record.source() : s.source().strip();
      kept.putIfAbsent(
          List.of(source, staffId), new ServingStaff(source, staffId, s.since(), s.departedAt()));
    }
    return List.copyOf(kept.values());
  }

  private static void standardizeIdentifier(
      Identifier id,
      String city,
      Set<Identifier> out,
      List<String> masked,
      List<Problem> problems) {
    String value = Text.clean(id.value());
    if (value == null) {
      return;
    }
    switch (id.type()) {
      case MOBILE, LANDLINE -> {
        // one cell may hold several numbers (138..., 139...), each evidence of its own kind
        for (MobileNumbers.Result r : MobileNumbers.readCell(value, city)) {
          if (r instanceof MobileNumbers.Mobile m) {
            out.add(new Identifier(IdentifierType.MOBILE, m.value(), null, id.verified()));
          } else if (r instanceof MobileNumbers.Landline l) {
            out.add(new Identifier(IdentifierType.LANDLINE, l.value(), null));
          } else if (r instanceof MobileNumbers.ServiceNumber n) {
            // a shop's or company's 400/800 line: kept, but weak evidence and never a key
            out.add(new Identifier(IdentifierType.LANDLINE, n.value(), null));
          } else if (r instanceof MobileNumbers.Masked k) {
            if (!masked.contains(k.value())) {
              masked.add(k.value());
            }
          } else if (r instanceof MobileNumbers.Invalid i) {
            problems.add(i.problem());
          }
        }
      }
      case EMAIL -> {
        String email = take(Emails.standardize(value), problems);
        if (email != null) {
          out.add(new Identifier(IdentifierType.EMAIL, email, null));
        }
      }
      case NATIONAL_ID -> {
        String nationalId = take(NationalIds.standardize(value), problems);
        if (nationalId != null) {
          out.add(new Identifier(IdentifierType.NATIONAL_ID, nationalId, null));
        }
      }
      default -> {
        if (value.length() > MAX_IDENTIFIER_LENGTH || value.contains(" ")) {
          problems.add(
              new Problem(
                  id.type().name().toLowerCase(java.util.Locale.ROOT),
                  "标识"
                      + Text.quote(value)
                      + "不是有效的 "
                      + id.type()
                      + "（不能含空格，最长 "
                      + MAX_IDENTIFIER_LENGTH
                      + " 个字符）/ "
                      + id.type()
                      + " "
                      + Text.quote(value)
                      + " is not valid: no spaces, at most "
                      + MAX_IDENTIFIER_LENGTH
                      + " characters."));
        } else {
          out.add(new Identifier(id.type(), value, id.scope()));
        }
      }
    }
  }

  private static Address clean(Address a) {
    return new Address(
        Text.clean(a.province()),
        Text.clean(a.city()),
        Text.clean(a.district()),
        Text.clean(a.line()));
  }

  private static <T> T take(Parsed<T> parsed, List<Problem> problems) {
    if (parsed == null) {
      return null;
    }
    if (parsed instanceof Parsed.Refused<T> r) {
      problems.add(r.problem());
      return null;
    }
    return ((Parsed.Ok<T>) parsed).value();
  }
}
