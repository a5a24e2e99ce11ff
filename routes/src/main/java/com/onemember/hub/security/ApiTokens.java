package com.onemember.hub.security;

import com.onemember.hub.HubProperties;
import com.onemember.hub.secrets.SecretFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.core.env.Environment;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The bearer tokens the hub accepts: the admin token it starts with (ONEMEMBER_ADMIN_TOKEN, or one
 * generated on the embedded defaults), and the named tokens an admin creates through {@code
 * /api/v1/tokens}, each with a role and an expiry, kept in {@code api_token} as SHA-256 digests
 * only. A revoked or expired token is refused at its next request: nothing is cached. Holds only
 * digests, so neither a heap dump nor the database reveals a token.
 */
@Component
public class ApiTokens {

  /** The principal name of the token from ONEMEMBER_ADMIN_TOKEN (or the generated one). */
  public static final String ADMIN = "admin";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] adminDigest;
  private final JdbcTemplate jdbc;
  private final Clock clock;

  public ApiTokens(
      HubProperties properties, Environment environment, JdbcTemplate jdbc, Clock clock)
      throws IOException {
    this.jdbc = jdbc;
    this.clock = clock;
    String token = properties.security().adminToken();
    if (token == null || token.isBlank()) {
      if (environment.getProperty("spring.datasource.url") != null) {
        throw new IllegalStateException(
            "ONEMEMBER_ADMIN_TOKEN 未设置：连接外部数据库时必须设置管理员令牌 / ONEMEMBER_ADMIN_TOKEN is not"
                + " set: an admin token is required when the hub runs on an external database.");
      }
      token = generatedToken(properties.dataDir());
    }
    this.adminDigest = digest(token);
  }

  /** The caller a presented token belongs to, if it is valid now. */
  public Optional<Caller> callerFor(String presented) {
    if (presented == null || presented.isBlank()) {
      return Optional.empty();
    }
    return callerByDigest(digest(presented.strip()));
  }

  /**
   * As {@link #callerFor}, for a token known by its SHA-256 digest only: a console session keeps
   * the digest of the token its user logged in with, never the token, and asks again at each
   * request, so that a revoked or expired token ends the session at once.
   */
  public Optional<Caller> callerByDigest(byte[] digest) {
    if (MessageDigest.isEqual(adminDigest, digest)) {
      return Optional.of(new Caller(ADMIN, Role.ADMIN, null));
    }
    Instant now = clock.instant();
    Instant minute = now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    record Found(Caller caller, Timestamp lastUsed) {}
    List<Found> found =
        jdbc.query(
            """
            select name, role, system, last_used_at from api_token
             where token_sha256 = ? and revoked_at is null
               and (expires_at is null or expires_at > ?)""",
            (rs, i) ->
                new Found(
                    new Caller(rs.getString(1), Role.of(rs.getString(2)), rs.getString(3)),
                    rs.getTimestamp(4)),
            digest,
            Timestamp.from(now));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    // the minute of its last use, written at most once a minute per token: the other requests of
    // the minute need no second statement
    Timestamp lastUsed = found.get(0).lastUsed();
    if (lastUsed == null || lastUsed.toInstant().isBefore(minute)) {
      jdbc.update(
          """
          update api_token set last_used_at = ?
           where token_sha256 = ? and (last_used_at is null or last_used_at < ?)""",
          Timestamp.from(minute),
          digest,
          Timestamp.from(minute));
    }
    return Optional.of(found.get(0).caller());
  }

  /** A stored token, without its secret. */
  public record Stored(
      String name,
      Role role,
      String system,
      Instant createdAt,
      String createdBy,
      Instant expiresAt,
      Instant revokedAt,
      Instant lastUsedAt) {}

  /** What {@link #create} refuses: the words say why. */
  public static final class Refused extends RuntimeException {
    private final String code;

    Refused(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** A token just made: the secret, shown this once, and what is stored of it. */
  public record Created(String secret, Stored stored) {}

  /**
   * A new token named {@code name} with {@code role} (a {@code system} token speaks for {@code
   * system}), created by {@code by}; answers the secret, which is kept nowhere.
   *
   * @throws Refused when the name is taken (revoked tokens' names too) or the role and system do
   *     not fit
   */
  public Created create(String name, Role role, String system, Instant expiresAt, String by) {
    if (ADMIN.equals(name)) {
      throw new Refused("name-taken", "名称 admin 属于启动令牌 / the name admin is the start-up token's");
    }
    if ((role == Role.SYSTEM) != (system != null && !system.isBlank())) {
      throw new Refused(
          "system-role",
          "system 角色必须且只有它需要指明 system（消费方或连接器 id）/ a system token, and only a system"
              + " token, names its system (a consumer or connector id)");
    }
    if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
      throw new Refused("expired", "expiresAt 已过 / expiresAt is in the past");
    }
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    String token = "om_" + HexFormat.of().formatHex(bytes);
    Instant now = clock.instant();
    String scope = role == Role.SYSTEM ? system.strip() : null;
    try {
      jdbc.update(
          """
          insert into api_token (name, role, system, token_sha256, created_at, created_by, expires_at)
          values (?, ?, ?, ?, ?, ?, ?)""",
          name,
          role.wire(),
          scope,
          digest(token),
          Timestamp.from(now),
          by,
          expiresAt == null ? null : Timestamp.from(expiresAt));
    } catch (DuplicateKeyException e) {
      throw new Refused(
          "name-taken",
          "已有名为 "
              + name
              + " 的令牌（含已吊销的）/ a token named "
              + name
              + " exists (revoked ones count: a name is never given again)");
    }
    // as stored: PostgreSQL keeps microseconds
    return new Created(
        token,
        new Stored(
            name,
            role,
            scope,
            now.truncatedTo(java.time.temporal.ChronoUnit.MICROS),
            by,
            expiresAt,
            null,
            null));
  }

  /** Every stored token, oldest first. */
  public List<Stored> list() {
    return jdbc.query(
        """
        select name, role, system, created_at, created_by, expires_at, revoked_at, last_used_at
          from api_token order by created_at, name""",
        (rs, i) ->
            new Stored(
                rs.getString(1),
                Role.of(rs.getString(2)),
                rs.getString(3),
                instant(rs.getTimestamp(4)),
                rs.getString(5),
                instant(rs.getTimestamp(6)),
                instant(rs.getTimestamp(7)),
                instant(rs.getTimestamp(8))));
  }

  /** Revokes token {@code name} at once; {@code false} when there is none of that name. */
  public boolean revoke(String name) {
    return jdbc.update(
            "update api_token set revoked_at = coalesce(revoked_at, ?) where name = ?",
            Timestamp.from(clock.instant()),
            name)
        > 0;
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  /**
   * The generated admin token of the embedded defaults: made once with a secure random source, kept
   * in {@code data-dir/admin-token} (owner-readable only) and printed to the console the one time
   * it is created.
   */
  private static String generatedToken(Path dataDir) throws IOException {
    Path file = dataDir.resolve("admin-token");
    SecretFiles.Secret token =
        SecretFiles.readOrCreate(
            file,
            () -> {
              byte[] bytes = new byte[24];
              RANDOM.nextBytes(bytes);
              return "om_" + HexFormat.of().formatHex(bytes);
            });
    if (token.created()) {
      System.out.println(
          "\n管理员令牌已生成 / Generated admin token (kept in "
              + file.toAbsolutePath()
              + "):\n  "
              + token.value()
              + "\n");
    }
    return token.value();
  }

  /** The SHA-256 digest of a token, as the hub keeps it. */
  public static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
