package com.onemember.hub.privacy;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The kinds of a member's personal data the hub treats apart: masked for the roles that do not need
 * them ({@link PersonalData}), and granted one by one to consuming systems (purpose-scoped
 * publishing). Each names the identifier types that hold it, if any; birthdays and addresses are
 * attributes of their own.
 */
public enum PersonalDataKind {
  MOBILE("mobile", Set.of("MOBILE", "LANDLINE")),
  EMAIL("email", Set.of("EMAIL")),
  BIRTHDAY("birthday", Set.of()),
  ADDRESS("address", Set.of()),
  NATIONAL_ID("national-id", Set.of("NATIONAL_ID"));

  private final String wire;
  private final Set<String> identifierTypes;

  PersonalDataKind(String wire, Set<String> identifierTypes) {
    this.wire = wire;
    this.identifierTypes = identifierTypes;
  }

  /** The name a configuration grants it by ({@code national-id}). */
  public String wire() {
    return wire;
  }

  /** The identifier types that hold this kind. */
  public Set<String> identifierTypes() {
    return identifierTypes;
  }

  /** Every wire name, in order. */
  public static List<String> wires() {
    return java.util.Arrays.stream(values()).map(PersonalDataKind::wire).toList();
  }

  /** The kind of a wire name; {@code null} for none. */
  public static PersonalDataKind of(String wire) {
    String w = wire.strip().toLowerCase(Locale.ROOT);
    for (PersonalDataKind k : values()) {
      if (k.wire.equals(w)) {
        return k;
      }
    }
    return null;
  }
}
