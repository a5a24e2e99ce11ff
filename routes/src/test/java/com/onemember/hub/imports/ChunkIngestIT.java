package com.onemember.hub.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.hub.support.HubIT;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A chunk of import rows in which one row's stored record cannot be read back (written by an older
 * hub, or damaged by hand): that row is rejected with the cause after its attempts, the rows beside
 * it go in, and nothing stays pending. The chunk is handed to the hub's own ingest bean as the
 * queue would hand it, against the real database.
 */
class ChunkIngestIT extends HubIT {

  @Autowired JdbcTemplate jdbc;
  @Autowired ImportRowIngest ingest;

  @Test
  void aRowThatCannotBeProcessedIsRejectedWithTheCauseAndTheRowsBesideItGoIn() {
    UUID id = UUID.randomUUID();
    String source = "pos-chunk-" + id.toString().substring(0, 8);
    jdbc.update(
        "insert into import_job (id, source, file_name, file_sha256, format, row_count,"
            + " unmapped_columns, created_at, state, rows_read) values (?, ?, 'chunk.csv', ?,"
            + " 'CSV', 3, '[]'::jsonb, ?, 'queued', 3)",
        id,
        source,
        "sha-" + id,
        Timestamp.from(Instant.now()));
    row(id, 1, source, "88010001", "13650010001", "陈静");
    // not a source record at all: reading it back throws every time
    jdbc.update(
        "insert into import_row (import_id, row_no, source_record_id, outcome, raw, record)"
            + " values (?, 2, '88010002', 'pending', '{}'::jsonb, '{\"identifiers\": 7}'::jsonb)",
        id);
    row(id, 3, source, "88010003", "13650010003", "林涛");

    ingest.handleChunk(id.toString(), 1, 3);

    Map<Integer, String> outcomes = new java.util.TreeMap<>();
    Map<Integer, String> errors = new java.util.TreeMap<>();
    jdbc.query(
        "select row_no, outcome, error from import_row where import_id = ?",
        rs -> {
          outcomes.put(rs.getInt(1), rs.getString(2));
          errors.put(rs.getInt(1), rs.getString(3));
        },
        id);
    assertThat(outcomes).containsEntry(1, "created").containsEntry(3, "created");
    assertThat(outcomes.get(2)).isEqualTo("rejected");
    assertThat(errors.get(2)).contains("处理失败").contains("Processing failed");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from source_record where source = ?", Integer.class, source))
        .isEqualTo(2);

    // the same chunk again (a redelivery) changes nothing
    ingest.handleChunk(id.toString(), 1, 3);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from import_row where import_id = ? and outcome = 'created'",
                Integer.class,
                id))
        .isEqualTo(2);
  }

  private void row(UUID id, int rowNo, String source, String card, String mobile, String name) {
    String record =
        """
        {"source": "%s", "sourceRecordId": "%s", "name": "%s",
         "identifiers": [{"type": "MEMBER_CARD", "value": "%s"}, {"type": "MOBILE", "value": "%s"}],
         "addresses": [], "consents": [], "tags": []}
        """
            .formatted(source, card, name, card, mobile);
    jdbc.update(
        "insert into import_row (import_id, row_no, source_record_id, outcome, raw, record)"
            + " values (?, ?, ?, 'pending', '{}'::jsonb, ?::jsonb)",
        id,
        rowNo,
        card,
        record);
  }
}
