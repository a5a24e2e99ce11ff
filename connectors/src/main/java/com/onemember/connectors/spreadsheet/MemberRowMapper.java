package com.onemember.connectors.spreadsheet;

import com.onemember.canonical.Address;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns one row of a member export into a {@link SourceRecord}, keeping the source's own text:
 * validating and standardising values is the hub's job, not the connector's.
 */
public final class MemberRowMapper {

  private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  private static final Pattern SEVERAL_PHONES = Pattern.compile("\\s*[/、;；,，]\\s*");
  private static final Pattern CJK = Pattern.compile("\\p{IsHan}+");
  private static final List<DateTimeFormatter> LOCAL_TIMES =
      List.of(
          DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"),
          DateTimeFormatter.ofPattern("yyyy-M-d H:mm[:ss]"),
          DateTimeFormatter.ofPattern("yyyy/M/d H:mm[:ss]"),
          DateTimeFormatter.ISO_LOCAL_DATE_TIME);

  private MemberRowMapper() {}

  public static SourceRecord toSourceRecord(String source, ColumnMapping mapping, SheetRow row) {
    Map<MemberField, String> first = new EnumMap<>(MemberField.class);
    List<Identifier> identifiers = new ArrayList<>();
    for (Map.Entry<String, MemberField> column : mapping.fields().entrySet()) {
      String value = CellText.strip(row.cells().getOrDefault(column.getKey(), ""));
      if (value.isEmpty()) {
        continue;
      }
      MemberField field = column.getValue();
      first.putIfAbsent(field, value);
      switch (field) {
        case MOBILE -> {
          for (String phone : SEVERAL_PHONES.split(value)) {
            if (!phone.isBlank()) {
              identifiers.add(Identifier.of(IdentifierType.MOBILE, phone));
            }
          }
        }
        case EMAIL -> identifiers.add(Identifier.of(IdentifierType.EMAIL, value));
        case WECHAT_OPENID ->
            identifiers.add(new Identifier(IdentifierType.WECHAT_OPENID, value, source));
        case WECHAT_UNIONID -> identifiers.add(Identifier.of(IdentifierType.WECHAT_UNIONID, value));
        case MEMBER_CARD ->
            identifiers.add(new Identifier(IdentifierType.MEMBER_CARD, value, source));
        case EXTERNAL_ID ->
            identifiers.add(new Identifier(IdentifierType.EXTERNAL_ID, value, source));
        default -> {}
      }
    }
    List<Address> addresses = new ArrayList<>();
    Address address =
        new Address(
            first.get(MemberField.PROVINCE),
            first.get(MemberField.CITY),
            first.get(MemberField.DISTRICT),
            first.get(MemberField.ADDRESS));
    if (!address.isEmpty()) {
      addresses.add(address);
    }
    return new SourceRecord(
        source,
        sourceRecordId(first, row),
        updatedAt(first.get(MemberField.UPDATED_AT)),
        name(first),
        first.get(MemberField.NICKNAME),
        first.get(MemberField.GENDER),
        first.get(MemberField.BIRTHDAY),
        identifiers,
        addresses,
        List.of(),
        List.of(),
        row.cells());
  }

  /** Full name, or last + first name: 王 + 伟 gives 王伟, Wang + Wei gives "Wei Wang". */
  private static String name(Map<MemberField, String> first) {
    String full = first.get(MemberField.NAME);
    if (full != null) {
      return full;
    }
    String given = first.get(MemberField.FIRST_NAME);
    String family = first.get(MemberField.LAST_NAME);
    if (given == null || family == null) {
      return given != null ? given : family;
    }
    if (CJK.matcher(given).matches() && CJK.matcher(family).matches()) {
      return family + given;
    }
    return given + " " + family;
  }

  /**
   * The source's own id when the row has one, else a digest of the row's content: the same row
   * uploaded again gets the same id (so ingest is idempotent) wherever it sits in the file.
   */
  private static String sourceRecordId(Map<MemberField, String> first, SheetRow row) {
    if (first.containsKey(MemberField.EXTERNAL_ID)) {
      return "ext:" + first.get(MemberField.EXTERNAL_ID);
    }
    if (first.containsKey(MemberField.MEMBER_CARD)) {
      return "card:" + first.get(MemberField.MEMBER_CARD);
    }
    String content = String.join("\u001f", row.cells().values());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return "row:" + HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static Instant updatedAt(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notOffset) {
      for (DateTimeFormatter f : LOCAL_TIMES) {
        try {
          return LocalDateTime.parse(text, f).atZone(CHINA).toInstant();
        } catch (DateTimeParseException next) {
          // try the next layout
        }
      }
    }
    return null;
  }
}
