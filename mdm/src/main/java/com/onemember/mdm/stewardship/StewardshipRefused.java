package com.onemember.mdm.stewardship;

/** Why a steward's action cannot be taken, in Chinese and English. */
public final class StewardshipRefused extends RuntimeException {

  private final boolean notFound;

  /**
   * @param notFound whether the refusal is because something named does not exist (otherwise it
   *     conflicts with the current state)
   */
  public StewardshipRefused(boolean notFound, String message) {
    super(message);
    this.notFound = notFound;
  }

  public boolean notFound() {
    return notFound;
  }
}
