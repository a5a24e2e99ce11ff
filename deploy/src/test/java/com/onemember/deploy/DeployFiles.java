package com.onemember.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the checked files are: {@code deploy/} is the module's base directory, which Maven makes
 * the tests' working directory.
 */
final class DeployFiles {

  private DeployFiles() {}

  /** A file or folder under {@code deploy/}, which must exist. */
  static Path path(String relative) {
    Path path = root().resolve(relative).normalize();
    if (!Files.exists(path)) {
      throw new IllegalStateException(relative + " is missing (looked at " + path + ")");
    }
    return path;
  }

  static Path root() {
    Path root = Path.of("").toAbsolutePath();
    if (!Files.isRegularFile(root.resolve("helm/onemember-hub/Chart.yaml"))) {
      throw new IllegalStateException(
          "run the tests from the deploy module (./mvnw -pl deploy verify), not from " + root);
    }
    return root;
  }
}
