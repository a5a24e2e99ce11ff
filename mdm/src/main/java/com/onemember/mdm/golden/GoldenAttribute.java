package com.onemember.mdm.golden;

import java.util.Locale;

/** The single-valued golden attributes, each survived by its own chain of rules. */
public enum GoldenAttribute {
  NAME,
  GENDER,
  BIRTHDAY;

  /** The attribute's name in the golden record and in survivorship.yaml. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
