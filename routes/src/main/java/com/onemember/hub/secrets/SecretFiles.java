package com.onemember.hub.secrets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.function.Supplier;

/** Files that hold one secret each, readable and writable by their owner only. */
public final class SecretFiles {

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private SecretFiles() {}

  /**
   * A secret and whether this call made it.
   *
   * @param value the file's content, without surrounding white space
   * @param created true when the file did not exist and was written now
   */
  public record Secret(String value, boolean created) {}

  /**
   * The secret kept in {@code file}, or a new one from {@code generate}, written there first. The
   * file is created with owner-only permissions (not created, then restricted: there is no moment
   * in which another user could open it), and an existing one is restricted again, in case a backup
   * or a copy loosened it.
   */
  public static Secret readOrCreate(Path file, Supplier<String> generate) throws IOException {
    if (Files.exists(file)) {
      restrict(file);
      return new Secret(Files.readString(file, StandardCharsets.UTF_8).strip(), false);
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    String value = generate.get();
    // written whole under another name, then linked into place: a hub starting beside this one
    // (two processes on one data directory) finds either no file or the complete secret
    Path draft = dir.resolve("." + file.getFileName() + "." + randomText(6));
    try {
      create(draft);
      try (OutputStream out = Files.newOutputStream(draft, StandardOpenOption.WRITE)) {
        out.write(value.getBytes(StandardCharsets.UTF_8));
      }
      Files.createLink(file, draft);
    } catch (FileAlreadyExistsException raced) {
      return new Secret(Files.readString(file, StandardCharsets.UTF_8).strip(), false);
    } finally {
      Files.deleteIfExists(draft);
    }
    return new Secret(value, true);
  }

  /** {@code bytes} random bytes, in URL-safe Base64: a password that needs no quoting anywhere. */
  public static String randomText(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static void create(Path file) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the file gets the user's default permissions (the user's profile is private)
      Files.createFile(file);
    }
  }

  private static void restrict(Path file) throws IOException {
    try {
      if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
    } catch (UnsupportedOperationException notPosix) {
      // as above
    }
  }
}
