package com.onemember.connectors.unicenta;

import com.onemember.canonical.Address;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.SourceTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * uniCenta's {@code customers} table (the same columns in its PostgreSQL, MySQL and MariaDB create
 * scripts of 4.5 and 5.0). The photo ({@code image}) and the account columns (debt, tax category)
 * are not read: they say nothing about who the customer is. {@code id} is the row key (a UUID the
 * POS gives); {@code searchkey} is the customer's own unique key in the POS, {@code card} the
 * member card. uniCenta keeps no birthday or gender.
 */
final class UnicentaCustomers implements SourceTable {

  @Override
  public String select() {
    return "select id, searchkey, name, firstname, lastname, card, taxid, email, phone, phone2,"
        + " address, address2, postal, city, region, country, notes, visible, isvip"
        + " from customers order by id";
  }

  @Override
  public SourceRecord map(String source, Map<String, String> row) {
    String id = text(row.get("id"));
    if (id == null) {
      throw new RowRejected("客户没有 id / the customer row has no id");
    }
    List<Identifier> identifiers = new ArrayList<>();
    identifiers.add(new Identifier(IdentifierType.EXTERNAL_ID, id, source));
    String searchKey = text(row.get("searchkey"));
    if (searchKey != null && !searchKey.equals(id)) {
      identifiers.add(new Identifier(IdentifierType.EXTERNAL_ID, searchKey, source + ":searchkey"));
    }
    String card = text(row.get("card"));
    if (card != null) {
      identifiers.add(new Identifier(IdentifierType.MEMBER_CARD, card, source));
    }
    for (String phone : new String[] {row.get("phone"), row.get("phone2")}) {
      if (text(phone) != null) {
        identifiers.add(Identifier.of(IdentifierType.MOBILE, text(phone)));
      }
    }
    if (text(row.get("email")) != null) {
      identifiers.add(Identifier.of(IdentifierType.EMAIL, text(row.get("email"))));
    }
    // the POS's own row id and search key say which row, not which person
    boolean identifiesPerson =
        name(row) != null
            || identifiers.stream().anyMatch(i -> i.type() != IdentifierType.EXTERNAL_ID);
    if (!identifiesPerson) {
      throw new RowRejected(
          "没有姓名、电话、邮箱或会员卡，无法识别为一个人 / nothing in the row identifies a person:"
              + " no name, phone, e-mail or member card");
    }
    List<Address> addresses = new ArrayList<>();
    String line = join(text(row.get("address")), text(row.get("address2")));
    Address address = new Address(text(row.get("region")), text(row.get("city")), null, line);
    if (!address.isEmpty()) {
      addresses.add(address);
    }
    Map<String, String> raw = new LinkedHashMap<>();
    row.forEach((k, v) -> raw.put(k, v == null ? "" : v));
    return new SourceRecord(
        source,
        id,
        null,
        name(row),
        null,
        null,
        null,
        identifiers,
        addresses,
        List.of(),
        List.of(),
        null,
        raw);
  }

  /**
   * {@code name} is the display name staff typed; when it is empty, the last and first names (a
   * Chinese name is surname first).
   */
  private static String name(Map<String, String> row) {
    String name = text(row.get("name"));
    if (name != null) {
      return name;
    }
    return join(text(row.get("lastname")), text(row.get("firstname")));
  }

  private static String join(String a, String b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a + (isCjk(a) && isCjk(b) ? "" : " ") + b;
  }

  private static boolean isCjk(String s) {
    return s.codePoints()
        .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
  }

  private static String text(String value) {
    if (value == null) {
      return null;
    }
    String t = value.strip();
    return t.isEmpty() ? null : t;
  }
}
