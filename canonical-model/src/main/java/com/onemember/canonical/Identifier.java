package com.onemember.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One identifier of a customer.
 *
 * @param type what kind of identifier this is
 * @param value the value; raw as delivered in a {@link SourceRecord}, standardised in clean forms
 * @param scope where the value is unique (WeChat app id for openids, the source for member cards
 *     and external ids); {@code null} for globally unique kinds such as mobile numbers
 * @param verified the source system proved the value is the person's (WeChat's getuserphonenumber
 *     gives a phone the WeChat account confirmed by SMS), rather than taking it as typed; left out
 *     of the JSON when false, so records stored before it read and hash as they did
 */
public record Identifier(
    IdentifierType type,
    String value,
    String scope,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean verified) {

  public Identifier {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }

  /** An identifier as the source gave it, not verified. */
  public Identifier(IdentifierType type, String value, String scope) {
    this(type, value, scope, false);
  }

  /** A globally unique identifier the source system verified (see {@link #verified}). */
  public static Identifier verified(IdentifierType type, String value) {
    return new Identifier(type, value, null, true);
  }

  public static Identifier of(IdentifierType type, String value) {
    return new Identifier(type, value, null);
  }
}
