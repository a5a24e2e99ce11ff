package com.onemember.connectors.unicenta;

import static com.onemember.connectors.frame.RowText.text;

import com.onemember.canonical.Address;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.Identifiers;
import com.onemember.connectors.frame.RowText;
import com.onemember.connectors.frame.SourceTable;
import java.util.ArrayList;
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
    String id = SourceTable.rowKey(row, "id");
    Identifiers ids = new Identifiers(source, id, row.get("card"));
    String searchKey = text(row.get("searchkey"));
    if (searchKey != null && !searchKey.equals(id)) {
      ids.addScoped(IdentifierType.EXTERNAL_ID, searchKey, source + ":searchkey");
    }
    ids.add(IdentifierType.MOBILE, row.get("phone"))
        .add(IdentifierType.MOBILE, row.get("phone2"))
        .add(IdentifierType.EMAIL, row.get("email"));
    List<Identifier> identifiers = ids.list();
    SourceTable.requireAPerson(name(row), identifiers);
    List<Address> addresses = new ArrayList<>();
    String line = RowText.join(row.get("address"), row.get("address2"));
    Address address = new Address(text(row.get("region")), text(row.get("city")), null, line);
    if (!address.isEmpty()) {
      addresses.add(address);
    }
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
        RowText.raw(row));
  }

  /** {@code name} is the display name staff typed; when it is empty, the last and first names. */
  private static String name(Map<String, String> row) {
    String name = text(row.get("name"));
    if (name != null) {
      return name;
    }
    return RowText.fullName(row.get("lastname"), row.get("firstname"));
  }
}
