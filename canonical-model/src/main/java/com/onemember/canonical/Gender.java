package com.onemember.canonical;

/** Gender as far as the hub can tell; {@link #UNKNOWN} when a source does not say. */
public enum Gender {
  MALE,
  FEMALE,
  UNKNOWN
}
