package com.onemember.mdm.ingest.bulk;

import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.ingest.IngestOutcome;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ingests one source record into golden members: a chunk of one for {@link BulkLoad}, so a record
 * alone is read, decided and written by the same stages as an import's thousands and a group of
 * connector records, and nothing can differ between them. Idempotent: a re-delivery changes
 * nothing. Used where a record cannot wait for others: a group or chunk that failed is settled one
 * record at a time, and callers that hold one record in their own transaction.
 */
@Service
public class SourceRecordIngest {

  private final BulkLoad bulk;

  SourceRecordIngest(BulkLoad bulk) {
    this.bulk = bulk;
  }

  /** Ingests one record in the caller's transaction (or a new one). */
  @Transactional
  public IngestOutcome ingest(SourceRecord record) {
    return ingest(record, null);
  }

  /**
   * Ingests one record that a row of import {@code importId} brought ({@code null} when it came
   * another way). What the import changes is marked with its id so that it can be rolled back.
   */
  @Transactional
  public IngestOutcome ingest(SourceRecord record, UUID importId) {
    return bulk.load(List.of(record), importId).get(0);
  }
}
