package com.onemember.hub.imports;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface ImportRowRepository extends JpaRepository<ImportRowEntity, ImportRowEntity.Key> {

  /** Number of rows per outcome. */
  @Query(
      "select r.outcome, count(r) from ImportRowEntity r where r.key.importId = :importId"
          + " group by r.outcome")
  List<Object[]> countByOutcome(UUID importId);

  /**
   * Rows kept (settled, not rejected) with at least one warning: {@code counts.warnings}. Read from
   * the partial index of V20, so it costs the rows with warnings, not the import's rows.
   */
  @Query(
      "select count(r) from ImportRowEntity r where r.key.importId = :importId"
          + " and r.warnings is not null and r.outcome not in ('rejected', 'pending')")
  long countKeptWithWarnings(UUID importId);

  /**
   * The row, locked until the transaction ends: two deliveries of one row (a redelivery, or a row
   * sent again after a restart) settle it once.
   */
  @org.springframework.data.jpa.repository.Lock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
  @Query("select r from ImportRowEntity r where r.key = :key")
  java.util.Optional<ImportRowEntity> lockById(ImportRowEntity.Key key);

  /** The pending rows of a chunk, in row order, locked until the transaction ends. */
  @org.springframework.data.jpa.repository.Lock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
  @Query(
      "select r from ImportRowEntity r where r.key.importId = :importId and r.key.rowNo between"
          + " :fromRow and :toRow and r.outcome = 'pending' order by r.key.rowNo")
  List<ImportRowEntity> lockPending(UUID importId, int fromRow, int toRow);

  @Query(
      "select r.key.rowNo from ImportRowEntity r where r.key.importId = :importId and r.key.rowNo"
          + " between :fromRow and :toRow and r.outcome = 'pending' order by r.key.rowNo")
  List<Integer> pendingRowNumbers(UUID importId, int fromRow, int toRow);

  @Query("select max(r.processedAt) from ImportRowEntity r where r.key.importId = :importId")
  Instant lastProcessedAt(UUID importId);
}
