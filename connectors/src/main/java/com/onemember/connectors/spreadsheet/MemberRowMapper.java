package com.onemember.connectors.spreadsheet;

import com.onemember.canonical.Address;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.PurchaseSummary;
import com.onemember.canonical.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Turns one spreadsheet row into a {@link SourceRecord}, keeping every value as the source wrote
 * it. Nothing is validated here: a mobile cell reading 138-1234-5678 becomes that identifier
 * verbatim, and the MDM standardizers decide what it means. The cells a row marks as {@link
 * SheetRow#untrustedColumns() untrusted} (a formula, a value cut to the limit) are left out of the
 * member's fields and kept in the raw record: the hub never matches on a value the file does not
 * really hold, and nothing the store sent is lost.
 */
public final class MemberRowMapper {

  /** Staff put a second number in the same cell: 13812345678/13912345678, 手机、座机. */
  private static final Pattern LIST_SEPARATORS = Pattern.compile("[/、;,；，／]");

  private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

  /** Accepts 2024-03-01 09:30:00, 2024/3/1 9:30, 2024-03-01T09:30 and the like, read in China. */
  private static final DateTimeFormatter LOCAL_DATE_TIME =
      DateTimeFormatter.ofPattern("uuuu-M-d[ ]['T']H:mm[:ss][.SSS]")
          .withResolverStyle(ResolverStyle.STRICT);

  private static final DateTimeFormatter LOCAL_DATE =
      DateTimeFormatter.ofPattern("uuuu-M-d").withResolverStyle(ResolverStyle.STRICT);

  private static final char UNIT_SEPARATOR = '\u001F';

  private MemberRowMapper() {}

  /**
   * @param source kebab-case source name; also the scope of card numbers, customer ids and openids,
   *     which are only unique within the exporting system
   * @return a record whose {@code sourceRecordId} is the customer id ({@code ext:}), else the card
   *     number ({@code card:}), else a hash of the row's values ({@code row:}), so that uploading
   *     the same file again, even re-sorted, yields the same ids and ingest stays idempotent. Two
   *     rows with identical values get the same id on purpose: they are one record sent twice.
   */
  public static SourceRecord toSourceRecord(String source, ColumnMapping mapping, SheetRow row) {
    Objects.requireNonNull(source, "source");
    Map<MemberField, List<String>> values = new EnumMap<>(MemberField.class);
    row.cells()
        .forEach(
            (header, cell) -> {
              MemberField field =
                  row.untrustedColumns().contains(header) ? null : mapping.fields().get(header);
              String value = cell == null ? "" : CellText.strip(cell);
              if (field != null && !value.isEmpty()) {
                values.computeIfAbsent(field, f -> new ArrayList<>()).add(value);
              }
            });

    List<Identifier> identifiers = new ArrayList<>();
    for (String cell : all(values, MemberField.MOBILE)) {
      for (String number : split(cell)) {
        identifiers.add(Identifier.of(IdentifierType.MOBILE, number));
      }
    }
    for (String cell : all(values, MemberField.EMAIL)) {
      for (String email : split(cell)) {
        identifiers.add(Identifier.of(IdentifierType.EMAIL, email));
      }
    }
    for (String openid : all(values, MemberField.WECHAT_OPENID)) {
      identifiers.add(new Identifier(IdentifierType.WECHAT_OPENID, openid, source));
    }
    for (String unionid : all(values, MemberField.WECHAT_UNIONID)) {
      identifiers.add(Identifier.of(IdentifierType.WECHAT_UNIONID, unionid));
    }
    for (String nationalId : all(values, MemberField.NATIONAL_ID)) {
      identifiers.add(Identifier.of(IdentifierType.NATIONAL_ID, nationalId));
    }
    for (String card : all(values, MemberField.MEMBER_CARD)) {
      identifiers.add(new Identifier(IdentifierType.MEMBER_CARD, card, source));
    }
    for (String id : all(values, MemberField.EXTERNAL_ID)) {
      identifiers.add(new Identifier(IdentifierType.EXTERNAL_ID, id, source));
    }

    List<Address> addresses = new ArrayList<>();
    Address address =
        new Address(
            first(values, MemberField.PROVINCE),
            first(values, MemberField.CITY),
            first(values, MemberField.DISTRICT),
            values.containsKey(MemberField.ADDRESS)
                ? String.join(" ", values.get(MemberField.ADDRESS))
                : null);
    if (!address.isEmpty()) {
      addresses.add(address);
    }

    return new SourceRecord(
        source,
        sourceRecordId(values, row),
        updatedAt(first(values, MemberField.UPDATED_AT)),
        name(values),
        first(values, MemberField.NICKNAME),
        first(values, MemberField.GENDER),
        first(values, MemberField.BIRTHDAY),
        identifiers,
        addresses,
        List.of(),
        List.of(),
        purchases(values),
        row.cells());
  }

  private static PurchaseSummary purchases(Map<MemberField, List<String>> values) {
    PurchaseSummary summary =
        new PurchaseSummary(
            first(values, MemberField.ORDERS),
            first(values, MemberField.SPENT),
            first(values, MemberField.LAST_PURCHASE_AT),
            first(values, MemberField.STORE));
    return summary.isEmpty() ? null : summary;
  }

  /**
   * Split names are joined the way they are written: 王 + 伟 is 王伟 (family name first, no space), Wei
   * + Wang is "Wei Wang".
   */
  private static String name(Map<MemberField, List<String>> values) {
    String name = first(values, MemberField.NAME);
    if (name != null) {
      return name;
    }
    String given = first(values, MemberField.FIRST_NAME);
    String family = first(values, MemberField.LAST_NAME);
    if (given == null || family == null) {
      return given != null ? given : family;
    }
    return isHan(given) && isHan(family) ? family + given : given + " " + family;
  }

  private static boolean isHan(String s) {
    return s.codePoints()
        .allMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
  }

  private static String sourceRecordId(Map<MemberField, List<String>> values, SheetRow row) {
    String externalId = first(values, MemberField.EXTERNAL_ID);
    if (externalId != null) {
      return "ext:" + externalId;
    }
    String card = first(values, MemberField.MEMBER_CARD);
    if (card != null) {
      return "card:" + card;
    }
    StringBuilder joined = new StringBuilder();
    for (String cell : row.cells().values()) {
      if (!joined.isEmpty()) {
        joined.append(UNIT_SEPARATOR);
      }
      joined.append(cell == null ? "" : CellText.strip(cell));
    }
    return "row:" + HexFormat.of().formatHex(sha256(joined.toString())).substring(0, 16);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  /**
   * A time the source cannot state unambiguously is treated as unknown rather than guessed, since
   * survivorship trusts it to pick the newer value.
   */
  private static Instant updatedAt(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      // not an ISO time with offset; try local layouts
    }
    String local = text.replace('/', '-');
    try {
      return LocalDateTime.parse(local, LOCAL_DATE_TIME).atZone(CHINA).toInstant();
    } catch (DateTimeParseException e) {
      // not a date-time; try a bare date
    }
    try {
      return LocalDate.parse(local, LOCAL_DATE).atStartOfDay(CHINA).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static List<String> split(String cell) {
    List<String> parts = new ArrayList<>();
    for (String part : LIST_SEPARATORS.split(cell)) {
      String value = CellText.strip(part);
      if (!value.isEmpty()) {
        parts.add(value);
      }
    }
    return parts;
  }

  private static List<String> all(Map<MemberField, List<String>> values, MemberField field) {
    return values.getOrDefault(field, List.of());
  }

  private static String first(Map<MemberField, List<String>> values, MemberField field) {
    List<String> list = values.get(field);
    return list == null ? null : list.get(0);
  }
}
