package com.onemember.connectors.frame;

import java.util.Locale;
import java.util.Map;

/**
 * A request a system sent to {@code /hooks/<connector-id>}, as the kind needs it to check and read:
 * the headers by lower-case name, the body byte for byte (signatures are over the exact bytes), and
 * the query string's parameters (WeChat signs in the query).
 */
public record HookRequest(Map<String, String> headers, byte[] body, Map<String, String> query) {

  public HookRequest {
    headers = Map.copyOf(headers);
    query = query == null ? Map.of() : Map.copyOf(query);
  }

  /** A request without query parameters. */
  public HookRequest(Map<String, String> headers, byte[] body) {
    this(headers, body, Map.of());
  }

  /** A header's value, its name in any case; {@code null} when absent. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** A query parameter's value; {@code null} when absent. */
  public String parameter(String name) {
    return query.get(name);
  }
}
