package com.onemember.hub.connectors;

import com.onemember.mdm.store.RecordJson;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    Map<String, String> document = new TreeMap<>(last(connectorId, key));
    if (versionField != null
        && Versions.older(fields.get(versionField), document.get(versionField))) {
      return null;
    }
    if (document.containsKey(DELETED)) {
      // deleted in the system: a push made before the deletion arrived late; a later one (a
      // customer restored) starts the record again
      if (versionField != null && Versions.older(fields.get(versionField), document.get(DELETED))) {
        return null;
      }
      document.clear();
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

  /** What {@link #replace} did with a row read from the system. */
  enum Replaced {
    /** Kept as the record's document: the hub is to take it. */
    STORED,
    /** Read before a newer push was taken: not kept, and not to be sent on. */
    OLDER,
    /**
     * The document holds exactly this already (the pushes brought it before the read saw it):
     * nothing to keep and nothing to send on, or every change a shop pushes would be ingested
     * twice.
     */
    SAME
  }

  /**
   * Keeps {@code row} as the record's whole document, as a read of the system gave it; later pushes
   * merge over it. With a {@code versionField}: a row older than the document (read before a newer
   * push was taken) is not kept ({@link Replaced#OLDER}), so that the older state is not sent; a
   * row without the field (a system whose list does not give it) keeps the document's, so that a
   * late push is still told apart.
   */
  Replaced replace(
      String connectorId,
      String key,
      Map<String, String> row,
      String versionField,
      Instant readBegan,
      Instant now) {
    if (erased(connectorId, key)) {
      return Replaced.STORED;
    }
    Map<String, String> document = new TreeMap<>(row);
    Map<String, String> last = last(connectorId, key);
    if (last.containsKey(DELETED) && readBefore(row, versionField, readBegan, last.get(DELETED))) {
      // the deletion was taken while the read was under way: the row may predate it, and sending
      // it on would bring the customer back; a read after the deletion gives it again if the
      // system still has it
      return Replaced.OLDER;
    }
    if (versionField != null) {
      String kept = last.containsKey(DELETED) ? null : last.get(versionField);
      if (Versions.older(row.get(versionField), kept)) {
        return Replaced.OLDER;
      }
      if (!document.containsKey(versionField) && kept != null) {
        document.put(versionField, kept);
      }
    }
    if (document.equals(last)) {
      return Replaced.SAME;
    }
    store(connectorId, key, document, now);
    return Replaced.STORED;
  }

  /**
   * Whether a row may show the record as it was before its deletion at {@code deletedAt}: by the
   * row's version when it has one (a later version is the customer restored), else by when the read
   * that gave it began.
   */
  private static boolean readBefore(
      Map<String, String> row, String versionField, Instant readBegan, String deletedAt) {
    String version = versionField == null ? null : row.get(versionField);
    return Versions.older(version != null ? version : readBegan.toString(), deletedAt);
  }

  /**
   * Of {@code keys}, those whose records the system deleted (a push taken) at or after {@code
   * since}: rows a read gave them meanwhile are not to be sent on.
   */
  Set<String> deletedSince(String connectorId, Collection<String> keys, Instant since) {
    if (keys.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(
        jdbc.queryForList(
            """
            select source_key from connector_document
             where connector_id = ? and source_key = any (?)
               and document ->> '__deleted_at' is not null and updated_at >= ?""",
            String.class,
            connectorId,
            keys.toArray(String[]::new),
            Timestamp.from(since)));
  }

  private Map<String, String> last(String connectorId, String key) {
    List<String> last =
        jdbc.queryForList(
            "select document::text from connector_document where connector_id = ? and source_key = ?",
            String.class,
            connectorId,
            key);
    return last.isEmpty() ? Map.of() : RecordJson.raw(last.get(0));
  }

  /** The field of a tombstone: when the hub took the system's deletion. */
  static final String DELETED = "__deleted_at";

  /**
   * A record the system deleted: its document becomes a tombstone holding only when, so that an
   * update sent before the deletion and delivered after it does not bring the record back.
   */
  void deleted(String connectorId, String key, Instant at) {
    store(connectorId, key, new TreeMap<>(Map.of(DELETED, at.toString())), at);
  }

  /** Forgets a record the system deleted. */
  void forget(String connectorId, String key) {
    jdbc.update(
        "delete from connector_document where connector_id = ? and source_key = ?",
        connectorId,
        key);
  }
}
