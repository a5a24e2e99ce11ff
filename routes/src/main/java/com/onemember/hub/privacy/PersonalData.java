package com.onemember.hub.privacy;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Masks personal data in an answer of the API, as a role that does not need it sees it: mobiles
 * (138****5678), e-mails (w***@qq.com), birthdays (1990-**-**), the street part of addresses and id
 * numbers (110***********1234); names stay. By the field where the contract says what a value is
 * (an identifier's type, {@code birthday}, an address's {@code line}); elsewhere (a source record's
 * raw cells, a lineage value, a reason someone typed) by what the text looks like, so a phone in a
 * store's 备注 column is masked too.
 */
final class PersonalData {

  private PersonalData() {}

  private static final Pattern MOBILE =
      Pattern.compile("(?<!\\d)(1[3-9]\\d)(\\d{4})(\\d{4})(?!\\d)");
  private static final Pattern LONG_NUMBER =
      Pattern.compile("(?<![\\dXx])(\\d{6})(\\d{8})(\\d{3}[\\dXx])(?![\\dXx])");
  private static final Pattern LANDLINE =
      Pattern.compile("(?<!\\d)(0\\d{2,3})[- ]?(\\d{3,4})(\\d{4})(?!\\d)");
  private static final Pattern EMAIL =
      Pattern.compile("([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\\.[A-Za-z]{2,})");
  private static final Pattern DATE =
      Pattern.compile("(?<!\\d)((?:19|20)\\d{2})([-./年])(\\d{1,2})([-./月])(\\d{1,2})(日?)(?!\\d)");

  /** Identifier types whose values are personal data. */
  private static final Set<String> PERSONAL_IDENTIFIERS =
      java.util.Arrays.stream(PersonalDataKind.values())
          .flatMap(k -> k.identifierTypes().stream())
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  /** Masks {@code node} in place. */
  static void mask(JsonNode node) {
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode item = array.get(i);
        if (item.isString()) {
          array.set(i, text(item.asString()));
        } else {
          mask(item);
        }
      }
    } else if (node instanceof ObjectNode object) {
      String type = object.path("type").asString("");
      boolean identifier = PERSONAL_IDENTIFIERS.contains(type) && object.path("value").isString();
      // a lineage entry or a history change names its attribute beside the values
      String attribute = object.path("attribute").asString("");
      for (String name : object.propertyNames().stream().toList()) {
        JsonNode value = object.get(name);
        if (value.isString() && isValueOf(name) && attribute.equals("birthday")) {
          object.put(name, date(value.asString()));
        } else if (value.isString() && isValueOf(name) && attribute.equals("addresses")) {
          object.put(name, street(value.asString()));
        } else if (value.isString()) {
          object.put(name, field(name, value.asString(), identifier ? type : null));
        } else if (name.equals("raw") && value instanceof ObjectNode raw) {
          for (String cell : raw.propertyNames().stream().toList()) {
            if (raw.get(cell).isString()) {
              raw.put(cell, cell(cell, raw.get(cell).asString()));
            }
          }
        } else {
          mask(value);
        }
      }
    }
  }

  private static boolean isValueOf(String name) {
    return name.equals("value") || name.equals("before") || name.equals("after");
  }

  /** One field of an object, by its name (and, for an identifier's value, its type). */
  private static String field(String name, String value, String identifierType) {
    if (identifierType != null && name.equals("value")) {
      return switch (identifierType) {
        case "EMAIL" -> email(value);
        case "NATIONAL_ID" -> longNumber(value);
        default -> number(value);
      };
    }
    if (name.equals("id") || name.endsWith("Id") || name.endsWith("Hash") || name.equals("hash")) {
      return value; // a member's or record's id as the systems know it, not the person's data
    }
    if ((name.equals("at") || name.endsWith("At")) && HUB_TIME.matcher(value).matches()) {
      // when the hub created, changed or received something: its own time, not a birthday, and a
      // client must be able to read it as the date-time the contract promises
      return value;
    }
    return switch (name) {
      case "birthday" -> date(value);
      case "line" -> street(value);
      default -> text(value);
    };
  }

  /** A raw cell, by its column's name where that says what it holds. */
  private static String cell(String column, String value) {
    String c = column.toLowerCase(Locale.ROOT);
    if (c.contains("生日") || c.contains("出生") || c.contains("birth")) {
      return date(value);
    }
    if (c.contains("地址") || c.contains("address") || c.contains("住址")) {
      return street(value);
    }
    return text(value);
  }

  /** A date-time as the API writes its own times (createdAt, changedAt, receivedAt...). */
  private static final Pattern HUB_TIME =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})");

  /** Ids, versions and hashes: never personal data, and a client must get them as they are. */
  private static final Pattern OPAQUE =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
              + "|(?=[0-9a-f]*[a-f])[0-9a-f]{12,64}");

  /** Free text with every mobile, e-mail, id number and date in it masked. */
  static String text(String value) {
    if (OPAQUE.matcher(value).matches()) {
      return value;
    }
    String out = EMAIL.matcher(value).replaceAll("$1***@$2");
    out = LONG_NUMBER.matcher(out).replaceAll("$1********$3");
    out = MOBILE.matcher(out).replaceAll("$1****$3");
    out = LANDLINE.matcher(out).replaceAll("$1-****$3");
    Matcher dates = DATE.matcher(out);
    return dates.replaceAll("$1$2**$4**$6");
  }

  /** A phone: its first three and last four digits. */
  static String number(String value) {
    String digits = value.replaceAll("\\D", "");
    if (digits.length() < 8) {
      return "****";
    }
    return digits.substring(0, 3) + "****" + digits.substring(digits.length() - 4);
  }

  static String email(String value) {
    int at = value.indexOf('@');
    return at <= 0 ? "***" : value.charAt(0) + "***" + value.substring(at);
  }

  static String longNumber(String value) {
    return value.length() < 8
        ? "****"
        : value.substring(0, 3)
            + "*".repeat(value.length() - 7)
            + value.substring(value.length() - 4);
  }

  /** A date: the year only (1990-**-**), or nothing of a date without one (--05-03). */
  static String date(String value) {
    Matcher year = Pattern.compile("((?:19|20)\\d{2})").matcher(value);
    return year.find() ? year.group(1) + "-**-**" : "**-**";
  }

  /** An address line: its first four characters (the estate or road), the rest masked. */
  static String street(String value) {
    String stripped = value.strip();
    return stripped.length() <= 4
        ? "****"
        : stripped.substring(0, 4) + "*".repeat(Math.min(8, stripped.length() - 4));
  }
}
