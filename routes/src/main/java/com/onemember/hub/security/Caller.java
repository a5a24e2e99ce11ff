package com.onemember.hub.security;

/**
 * Who called: the token's name (the actor every change records), its role and, for a {@code system}
 * token, the system it speaks for.
 */
public record Caller(String name, Role role, String system) {

  /** The request attribute the bearer filter leaves the caller in. */
  public static final String ATTRIBUTE = "onemember.caller";
}
