package com.onemember.hub.connectors;

import com.onemember.mdm.store.RecordJson;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The documents of a pushing connector's records ({@code connector_document}): each push merged
 * over the last (or over the row the last read of a system that is also polled gave), so that a
 * push that carries only the changed fields still gives a whole record.
 */
@Component
class PushedDocuments {

  private final JdbcTemplate jdbc;

  PushedDocuments(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The record's document after {@code fields}: named fields replaced, a {@code null} value
   * removing its field, the others as the last pushes left them; stored before it is returned. One
   * consumer merges a connector's pushes at a time (they share a message group), in order.
   */
  Map<String, String> merge(
      String connectorId, String key, Map<String, String> fields, Instant now) {
    return merge(connectorId, key, fields, null, now);
  }

  /**
   * As {@link #merge(String, String, Map, Instant)}, unless {@code versionField} says the push is
   * older than the last document (a delivery that arrived late): then nothing changes and the
   * answer is {@code null}.
   */
  Map<String, String> merge(
      String connectorId,
      String key,
      Map<String, String> fields,
      String versionField,
      Instant now) {
    List<String> last =
        jdbc.queryForList(
            "select document::text from connector_document where connector_id = ? and source_key = ?",
            String.class,
            connectorId,
            key);
    Map<String, String> document = new TreeMap<>();
    if (!last.isEmpty()) {
      document.putAll(RecordJson.raw(last.get(0)));
    }
    if (versionField != null
        && Versions.older(fields.get(versionField), document.get(versionField))) {
      return null;
    }
    fields.forEach(
        (name, value) -> {
          // a field replaced or cleared takes its nested fields with it ({"wechat": null} clears
          // wechat.openid too); nested fields pushed on their own merge one by one
          document.remove(name);
          document.keySet().removeIf(field -> field.startsWith(name + "."));
          if (value != null) {
            document.put(name, value);
          }
        });
    if (erased(connectorId, key)) {
      // the ingest refuses it; keeping it here would undo the erasure
      return document;
    }
    store(connectorId, key, document, now);
    return document;
  }

  private void store(String connectorId, String key, Map<String, String> document, Instant now) {
    jdbc.update(
        """
        insert into connector_document (connector_id, source_key, document, updated_at)
        values (?, ?, ?::jsonb, ?)
        on conflict (connector_id, source_key)
        do update set document = excluded.document, updated_at = excluded.updated_at""",
        connectorId,
        key,
        RecordJson.write(document),
        Timestamp.from(now));
  }

  private boolean erased(String connectorId, String key) {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            """
            select exists (select 1 from source_record s join member m on m.id = s.member_id
                            where s.source = ? and s.source_record_id = ? and m.erased_at is not null)""",
            Boolean.class,
            connectorId,
            key));
  }

  /**
   * Keeps {@code row} as the record's whole document, as a complete read of the system gave it;
   * later pushes merge over it.
   */
  void replace(String connectorId, String key, Map<String, String> row, Instant now) {
    if (erased(connectorId, key)) {
      return;
    }
    store(connectorId, key, new TreeMap<>(row), now);
  }

  /** Forgets a record the system deleted. */
  void forget(String connectorId, String key) {
    jdbc.update(
        "delete from connector_document where connector_id = ? and source_key = ?",
        connectorId,
        key);
  }
}
