package com.onemember.connectors.frame;

/** A system could not be read to the end; the message says why in words IT staff act on. */
public final class SourceUnavailable extends Exception {

  private final FailureKind kind;

  public SourceUnavailable(FailureKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public FailureKind kind() {
    return kind;
  }
}
