package com.onemember.mdm.ingest;

import com.onemember.canonical.SourceRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Serialises ingests that could concern the same person: one transaction-scoped advisory lock per
 * match key and one per record's own natural key, taken in ascending order of their 64-bit hashes
 * so that two transactions never wait on each other in a cycle. A hash collision only serialises
 * two unrelated ingests; it never lets related ones run together. A bulk chunk takes the keys of
 * all its records in one call, in the same order, so it and single ingests never deadlock on keys.
 */
@Component
public class KeyLocks {

  private final JdbcTemplate jdbc;

  public KeyLocks(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every JVM has SHA-256", e);
            }
          });

  /**
   * The first 8 bytes of the name's SHA-256 (UTF-8) as a signed long: the lock id every hub
   * instance, of this version or an earlier one, takes for that name.
   */
  static long lockId(MessageDigest sha256, String name) {
    byte[] digest = sha256.digest(name.getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(digest, 0, 8).getLong();
  }

  /** The lock name of a record's own natural key. */
  public static String recordKey(SourceRecord record) {
    return "record:" + record.source() + ":" + record.sourceRecordId();
  }

  /** Locks {@code keys} (match keys and {@link #recordKey}s) until the transaction ends. */
  public void lock(Collection<String> keys) {
    MessageDigest sha256 = DIGEST.get();
    List<Long> ids =
        keys.stream()
            .map(k -> lockId(sha256, k))
            .distinct()
            .sorted(Comparator.naturalOrder())
            .toList();
    // one round trip; the function locks in ascending order (V4__lock_keys_function.sql)
    jdbc.queryForObject(
        "select onemember_lock_keys(?)::text", String.class, (Object) ids.toArray(Long[]::new));
  }
}
