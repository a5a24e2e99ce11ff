package com.onemember.canonical;

import java.util.Objects;

/**
 * One identifier of a customer.
 *
 * @param type what kind of identifier this is
 * @param value the value; raw as delivered in a {@link SourceRecord}, standardised in clean forms
 * @param scope where the value is unique (WeChat app id for openids, the source for member cards
 *     and external ids); {@code null} for globally unique kinds such as mobile numbers
 */
public record Identifier(IdentifierType type, String value, String scope) {

  public Identifier {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }

  public static Identifier of(IdentifierType type, String value) {
    return new Identifier(type, value, null);
  }
}
