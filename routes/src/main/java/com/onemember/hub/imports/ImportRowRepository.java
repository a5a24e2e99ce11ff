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

  @Query("select max(r.processedAt) from ImportRowEntity r where r.key.importId = :importId")
  Instant lastProcessedAt(UUID importId);
}
