package com.onemember.connectors.frame;

/**
 * A request to {@code /hooks/<connector-id>} the hub does not take, with the HTTP status it answers
 * and the reason in words the sender's IT staff understand.
 */
public final class HookRefused extends Exception {

  private final int status;

  public HookRefused(int status, String reason) {
    super(reason);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
