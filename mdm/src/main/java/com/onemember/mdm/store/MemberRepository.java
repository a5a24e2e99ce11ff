package com.onemember.mdm.store;

import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/** Golden members. */
public interface MemberRepository extends JpaRepository<MemberEntity, UUID> {

  /** Locks the given members, in id order so that concurrent ingests cannot deadlock. */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select m from MemberEntity m where m.id in :ids order by m.id")
  List<MemberEntity> lockAll(Collection<UUID> ids);

  /** Members merged into {@code survivor}, directly. */
  List<MemberEntity> findByMergedInto(UUID survivor);

  /** Re-points members that were merged into {@code from} to {@code to}, keeping one hop. */
  @Modifying(flushAutomatically = true)
  @Query("update MemberEntity m set m.mergedInto = :to where m.mergedInto = :from")
  int repointMerged(UUID from, UUID to);

  /** Members that are not merged into another. */
  @Query("select count(m) from MemberEntity m where m.mergedInto is null")
  long countLive();

  /** Members that were merged into another. */
  @Query("select count(m) from MemberEntity m where m.mergedInto is not null")
  long countMerged();
}
