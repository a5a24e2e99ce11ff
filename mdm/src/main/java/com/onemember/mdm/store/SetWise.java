package com.onemember.mdm.store;

import java.sql.PreparedStatement;
import java.util.Collection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * Set-wise statements: one statement for many rows, each column passed as an SQL array and spread
 * by {@code unnest(...)}. An array is made on the statement's own connection, which is why it is
 * given here as its element type and values ({@link #array}) rather than made by the caller.
 */
public final class SetWise {

  private SetWise() {}

  /** An SQL array parameter: PostgreSQL's element type name and the values. */
  public record ArrayOf(String type, Object[] values) {}

  /**
   * An SQL expression for a jsonb[] from one parameter set to {@link #jsonDocuments}, to spread
   * beside the other arrays in {@code unnest(...)}. JSON documents are passed this way rather than
   * as a text[]: the driver escapes every character of every element of a text array, which made a
   * tenth of a bulk load's time; one JSON array of them is only joined.
   */
  public static final String JSONB_ARRAY =
      "array(select d from jsonb_array_elements(?::jsonb) with ordinality as j(d, n) order by n)";

  /**
   * The documents (each valid JSON, or null for JSON null) as one JSON array, for {@link
   * #JSONB_ARRAY}.
   */
  public static String jsonDocuments(Collection<String> documents) {
    StringBuilder sb = new StringBuilder(documents.size() * 512).append('[');
    boolean first = true;
    for (String d : documents) {
      if (!first) {
        sb.append(',');
      }
      sb.append(d == null ? "null" : d);
      first = false;
    }
    return sb.append(']').toString();
  }

  public static ArrayOf array(String type, Collection<?> values) {
    return new ArrayOf(type, values.toArray());
  }

  public static ArrayOf array(String type, Object[] values) {
    return new ArrayOf(type, values);
  }

  /**
   * Runs {@code sql} with {@code parameters} (values, or {@link ArrayOf}s); returns rows changed.
   */
  public static int update(JdbcTemplate jdbc, String sql, Object... parameters) {
    return jdbc.update(statement(sql, parameters));
  }

  /**
   * Runs {@code sql} (a query, or a statement with RETURNING) and hands each row to {@code rows}.
   */
  public static void query(
      JdbcTemplate jdbc, String sql, RowCallbackHandler rows, Object... parameters) {
    jdbc.query(statement(sql, parameters), rows);
  }

  private static PreparedStatementCreator statement(String sql, Object[] parameters) {
    return con -> {
      PreparedStatement ps = con.prepareStatement(sql);
      for (int i = 0; i < parameters.length; i++) {
        if (parameters[i] instanceof ArrayOf a) {
          ps.setArray(i + 1, con.createArrayOf(a.type(), a.values()));
        } else {
          ps.setObject(i + 1, parameters[i]);
        }
      }
      return ps;
    };
  }
}
