package com.onemember.connectors.frame;

import java.util.Locale;
import java.util.Map;

/**
 * A request a system sent to {@code /hooks/<connector-id>}, as the kind needs it to check and read:
 * the headers by lower-case name and the body byte for byte (signatures are over the exact bytes).
 */
public record HookRequest(Map<String, String> headers, byte[] body) {

  public HookRequest {
    headers = Map.copyOf(headers);
  }

  /** A header's value, its name in any case; {@code null} when absent. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
