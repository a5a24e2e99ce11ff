package com.onemember.mdm.standardize;

/**
 * The result of standardising one value: the clean value, or the reason it was refused.
 *
 * @param <T> the clean value's type
 */
public sealed interface Parsed<T> permits Parsed.Ok, Parsed.Refused {

  /** A value that was understood. */
  record Ok<T>(T value) implements Parsed<T> {}

  /** A value that was not; {@code problem} tells the sender why. */
  record Refused<T>(Problem problem) implements Parsed<T> {}

  static <T> Parsed<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Parsed<T> refused(String field, String message) {
    return new Refused<>(new Problem(field, message));
  }
}
