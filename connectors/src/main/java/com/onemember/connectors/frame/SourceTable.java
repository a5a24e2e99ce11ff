package com.onemember.connectors.frame;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import java.util.List;
import java.util.Map;

/**
 * How a {@link Transport#JDBC_POLLING} kind reads its system's customers: one select over the whole
 * table (the hub compares each row's digest with the last sync's, as such tables keep no
 * last-modified column) and the mapping of one row to a source record.
 */
public interface SourceTable {

  /** The select of every customer row; its first column is the row key. */
  String select();

  /**
   * The record a row stands for.
   *
   * @param source the connector's id, the source name of its records
   * @param row column name (lower case) to its value as text; {@code null} for SQL NULL
   * @throws RowRejected when the row cannot be a record, with the reason in words
   */
  SourceRecord map(String source, Map<String, String> row);

  /** The columns of {@link #select()} that hold no customer data and are left out of the digest. */
  default List<String> ignoredInDigest() {
    return List.of();
  }

  /**
   * The row's key in {@code column}, the record's id, or the row is rejected: a row without one
   * cannot be told apart from the others on the next sync.
   */
  static String rowKey(Map<String, String> row, String column) {
    String id = RowText.text(row.get(column));
    if (id == null) {
      throw new RowRejected("客户没有 " + column + " / the customer row has no " + column);
    }
    return id;
  }

  /**
   * Rejects a row that names nobody: the POS's own row id or customer number says which row, not
   * which person, so a name, a phone, an e-mail or a member card must be there.
   */
  static void requireAPerson(String name, List<Identifier> identifiers) {
    boolean identifiesPerson =
        name != null || identifiers.stream().anyMatch(i -> i.type() != IdentifierType.EXTERNAL_ID);
    if (!identifiesPerson) {
      throw new RowRejected(
          "没有姓名、电话、邮箱或会员卡，无法识别为一个人 / nothing in the row identifies a person:"
              + " no name, phone, e-mail or member card");
    }
  }

  /** A row that cannot become a source record; the sync goes on with the next. */
  final class RowRejected extends RuntimeException {
    public RowRejected(String reason) {
      super(reason);
    }
  }
}
