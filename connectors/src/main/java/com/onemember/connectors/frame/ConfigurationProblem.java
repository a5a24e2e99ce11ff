package com.onemember.connectors.frame;

import java.nio.file.Path;

/**
 * One thing wrong in an instance file.
 *
 * @param pointer the JSON pointer of the key, e.g. {@code /parameters/jdbc-url}; empty for the file
 *     as a whole
 */
public record ConfigurationProblem(Path file, String pointer, String message) {

  @Override
  public String toString() {
    return file.getFileName() + (pointer.isEmpty() ? "" : " " + pointer) + ": " + message;
  }
}
