package com.onemember.connectors.frame;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The message signatures systems put on what they send, computed in one place: HMAC-SHA256 over the
 * exact bytes (web shops' webhooks, the hub's own) and the comparison that takes the same time
 * whatever the first wrong byte.
 *
 * <p>The hub's own scheme, used both ways (its outbound webhooks sign with it, the {@code
 * custom-webhook} kind checks it): {@code sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">}, so a
 * receiver checks who sent it and that it is not an old message played again.
 */
public final class Signatures {

  private Signatures() {}

  /** HMAC-SHA256 under {@code secret} (UTF-8) of {@code parts} one after the other. */
  public static byte[] hmacSha256(String secret, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** The hub's scheme: {@code sha256=} and the hex HMAC of {@code <timestamp>.<body>}. */
  public static String timestamped(String secret, String timestamp, byte[] body) {
    return "sha256="
        + HexFormat.of()
            .formatHex(
                hmacSha256(secret, (timestamp + ".").getBytes(StandardCharsets.UTF_8), body));
  }

  /** Whether a signature as received equals the expected one, in time that does not leak where. */
  public static boolean same(String expected, String received) {
    return received != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8),
            received.strip().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether {@code received} is the Base64 HMAC-SHA256 of {@code body} with {@code secret}, as
   * Shopify and WooCommerce sign their webhooks; a header that is not Base64 does not match.
   */
  public static boolean base64HmacMatches(String secret, byte[] body, String received) {
    byte[] given;
    try {
      given = java.util.Base64.getDecoder().decode(received.strip());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(hmacSha256(secret, body), given);
  }

  /**
   * Refuses a signed request whose timestamp (Unix seconds, as {@code name} carries it) is more
   * than {@code maxSkew} seconds from the hub's clock: a captured request played again later, or a
   * sender whose clock is wrong.
   *
   * @throws HookRefused 401 naming which
   */
  public static void fresh(String name, String timestamp, long maxSkew, java.time.Clock clock)
      throws HookRefused {
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      throw new HookRefused(
          401, name + " 不是 Unix 秒数 / " + name + " is not Unix seconds: " + timestamp);
    }
    if (Math.abs(clock.instant().getEpochSecond() - seconds) > maxSkew) {
      throw new HookRefused(
          401,
          "时间戳与服务器时间相差超过 "
              + maxSkew
              + " 秒（请求过期或时钟不准）/ the timestamp is more than "
              + maxSkew
              + " s away from the hub's clock: an old request played again, or a clock that is"
              + " wrong");
    }
  }
}
