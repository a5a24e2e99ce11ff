package com.onemember.mdm.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Stored source records. */
public interface SourceRecordRepository extends JpaRepository<SourceRecordEntity, Long> {

  Optional<SourceRecordEntity> findBySourceAndSourceRecordId(String source, String sourceRecordId);

  List<SourceRecordEntity> findByMemberIdOrderByIdAsc(UUID memberId);

  List<SourceRecordEntity> findByMemberIdIn(Collection<UUID> memberIds);

  /** Members holding a source record under any of {@code keys} (the blocking step). */
  @Query("select distinct s.memberId from SourceRecordEntity s join s.matchKeys k where k in :keys")
  List<UUID> findMemberIdsByMatchKeys(Collection<String> keys);
}
