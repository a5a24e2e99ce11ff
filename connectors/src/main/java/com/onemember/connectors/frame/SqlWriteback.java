package com.onemember.connectors.frame;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Golden ids and tags into a POS database through the statements its owner gives in the instance
 * file ({@code golden-id-sql}, {@code tags-sql}, with the named parameters {@code :customer_id},
 * {@code :golden_id} and {@code :tags}), in one transaction per record: a column of the POS's own
 * table or a side table, as the owner chooses. One connection, opened when first needed and again
 * after a failure. Shared by the JDBC kinds.
 */
public final class SqlWriteback implements WritebackSink {

  private final ConnectorInstance instance;
  private final NamedStatement goldenId;
  private final NamedStatement tags;
  private Connection connection;

  /** The sink of an instance that gives at least one of the two statements. */
  public static Optional<WritebackSink> of(ConnectorInstance instance) {
    if (instance.text("golden-id-sql") == null && instance.text("tags-sql") == null) {
      return Optional.empty();
    }
    return Optional.of(new SqlWriteback(instance));
  }

  private SqlWriteback(ConnectorInstance instance) {
    this.instance = instance;
    this.goldenId = statement(instance, "golden-id-sql", Set.of("customer_id", "golden_id"));
    this.tags = statement(instance, "tags-sql", Set.of("customer_id", "tags"));
  }

  private static NamedStatement statement(
      ConnectorInstance instance, String key, Set<String> offered) {
    String text = instance.text(key);
    if (text == null) {
      return null;
    }
    try {
      return NamedStatement.parse(text, offered);
    } catch (IllegalArgumentException e) {
      throw new InvalidParameter(key, "语句参数有误 / " + e.getMessage());
    }
  }

  @Override
  public synchronized void write(Writeback w) throws Refused {
    try {
      Connection c = connection();
      try {
        Map<String, Object> values =
            new java.util.HashMap<>(
                Map.of("customer_id", w.sourceRecordId(), "golden_id", w.goldenId().toString()));
        if (w.tags() != null) {
          values.put("tags", String.join(",", w.tags()));
        }
        if (goldenId != null) {
          run(c, goldenId, values);
        }
        if (tags != null && w.tags() != null) {
          run(c, tags, values);
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      close();
      throw new Refused("写回 POS 失败 / writing back to the POS failed: " + e.getMessage(), e);
    }
  }

  private static void run(Connection c, NamedStatement s, Map<String, Object> values)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(s.sql())) {
      for (int i = 0; i < s.parameters().size(); i++) {
        ps.setObject(i + 1, values.get(s.parameters().get(i)));
      }
      ps.executeUpdate();
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = JdbcConnections.connect(instance);
      connection.setAutoCommit(false);
    }
    return connection;
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the connection is gone either way
      }
      connection = null;
    }
  }
}
