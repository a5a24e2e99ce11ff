package com.onemember.connectors.frame;

/** A parameter that passed its schema but cannot be used, named by its key. */
public final class InvalidParameter extends IllegalArgumentException {

  private final String key;

  public InvalidParameter(String key, String message) {
    super(message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
