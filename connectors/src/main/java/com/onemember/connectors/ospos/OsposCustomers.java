package com.onemember.connectors.ospos;

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
 * Open Source Point of Sale's customers: a person in {@code ospos_people} (name, phone, e-mail,
 * address, gender) joined with its row in {@code ospos_customers} (account number, company,
 * consent, the {@code deleted} flag), as OSPOS 3.x creates them on MySQL or MariaDB. OSPOS keeps no
 * last-modified time, so the hub compares snapshots; it deletes a customer by setting {@code
 * deleted}, so only undeleted customers are read and a deleted one drops out of the snapshot and is
 * withdrawn. Employees and suppliers are people too but have no {@code ospos_customers} row, so the
 * join leaves them out. The table prefix is a parameter, as OSPOS lets the installer choose it.
 */
final class OsposCustomers implements SourceTable {

  private final String prefix;

  OsposCustomers(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public String select() {
    return "select p.person_id, p.first_name, p.last_name, p.gender, p.phone_number, p.email,"
        + " p.address_1, p.address_2, p.city, p.state, p.zip, p.country, p.comments,"
        + " c.account_number, c.company_name, c.consent"
        + " from "
        + prefix
        + "people p join "
        + prefix
        + "customers c on c.person_id = p.person_id"
        + " where c.deleted = 0 order by p.person_id";
  }

  @Override
  public SourceRecord map(String source, Map<String, String> row) {
    String id = SourceTable.rowKey(row, "person_id");
    // account_number: the store's own customer number, printed on the member's card
    List<Identifier> identifiers =
        new Identifiers(source, id, row.get("account_number"))
            .add(IdentifierType.MOBILE, row.get("phone_number"))
            .add(IdentifierType.EMAIL, row.get("email"))
            .list();
    String name = RowText.fullName(row.get("last_name"), row.get("first_name"));
    SourceTable.requireAPerson(name, identifiers);
    List<Address> addresses = new ArrayList<>();
    Address address =
        new Address(
            text(row.get("state")),
            text(row.get("city")),
            null,
            RowText.join(row.get("address_1"), row.get("address_2")));
    if (!address.isEmpty()) {
      addresses.add(address);
    }
    return new SourceRecord(
        source,
        id,
        null,
        name,
        null,
        gender(row.get("gender")),
        null,
        identifiers,
        addresses,
        List.of(),
        List.of(),
        null,
        RowText.raw(row));
  }

  /** OSPOS's customer form stores 1 for male and 0 for female; anything else says nothing. */
  private static String gender(String value) {
    String g = text(value);
    if ("1".equals(g)) {
      return "男";
    }
    return "0".equals(g) ? "女" : null;
  }
}
