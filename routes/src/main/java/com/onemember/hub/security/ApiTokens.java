package com.onemember.hub.security;

import com.onemember.hub.HubProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The bearer tokens the hub accepts. Holds only digests, so a heap dump does not reveal a token.
 */
@Component
public class ApiTokens {

  /** The principal name of the token from ONEMEMBER_ADMIN_TOKEN (or the generated one). */
  public static final String ADMIN = "admin";

  private final byte[] adminDigest;

  public ApiTokens(HubProperties properties, Environment environment) throws IOException {
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

  /** The principal a presented token belongs to, if any. */
  public Optional<String> principalFor(String presented) {
    if (presented == null || presented.isBlank()) {
      return Optional.empty();
    }
    return MessageDigest.isEqual(adminDigest, digest(presented))
        ? Optional.of(ADMIN)
        : Optional.empty();
  }

  /**
   * The generated admin token of the embedded defaults: made once with a secure random source, kept
   * in {@code data-dir/admin-token} (owner-readable only) and printed to the console the one time
   * it is created.
   */
  private static String generatedToken(Path dataDir) throws IOException {
    Path file = dataDir.resolve("admin-token");
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String token = "om_" + HexFormat.of().formatHex(bytes);
    Files.createDirectories(dataDir);
    Files.writeString(file, token, StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the file stays with the user's default permissions.
    }
    System.out.println(
        "\n管理员令牌已生成 / Generated admin token (kept in "
            + file.toAbsolutePath()
            + "):\n  "
            + token
            + "\n");
    return token;
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
