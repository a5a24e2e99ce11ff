package com.onemember.hub.outbound;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A consuming system reached by webhook ({@code onemember.outbound.webhooks}): each event is POSTed
 * as JSON, signed.
 *
 * <p>Headers: {@code X-OneMember-Event-Id} (the idempotency key), {@code X-OneMember-Timestamp}
 * (Unix seconds) and {@code X-OneMember-Signature: sha256=<hex>}, the HMAC-SHA256 with the
 * webhook's secret of {@code <timestamp>.<body>}, so a receiver can check both who sent it and that
 * it is not an old message played again.
 */
final class SignedWebhook implements ConsumingSystem {

  static final String EVENT_ID = "X-OneMember-Event-Id";
  static final String TIMESTAMP = "X-OneMember-Timestamp";
  static final String SIGNATURE = "X-OneMember-Signature";

  private final OutboundSettings.Webhook config;
  private final HttpClient http;
  private final Clock clock;

  SignedWebhook(OutboundSettings.Webhook config, HttpClient http, Clock clock) {
    this.config = config;
    this.http = http;
    this.clock = clock;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public boolean owns(String source) {
    return config.owns(source);
  }

  @Override
  public int maxAttempts() {
    return config.maxAttempts();
  }

  @Override
  public Duration initialBackoff() {
    return config.initialBackoff();
  }

  @Override
  public Duration maxBackoff() {
    return config.maxBackoff();
  }

  @Override
  public void deliver(String eventId, String body) throws Refused {
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(config.url()))
            .timeout(config.timeout())
            .header("Content-Type", "application/json; charset=utf-8")
            .header(EVENT_ID, eventId)
            .header(TIMESTAMP, timestamp)
            .header(SIGNATURE, "sha256=" + sign(config.secret(), timestamp + "." + body))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new Refused("无法连接 " + config.url() + " / cannot connect to " + config.url());
    } catch (HttpTimeoutException e) {
      throw new Refused(
          "超时（%s）未应答 / no answer within %s".formatted(config.timeout(), config.timeout()));
    } catch (IOException e) {
      throw new Refused("网络错误 / network error: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Refused("已中断 / interrupted");
    }
    int status = response.statusCode();
    if (status / 100 != 2) {
      String said = response.body() == null ? "" : response.body().strip();
      if (said.length() > 200) {
        said = said.substring(0, 200) + "…";
      }
      throw new Refused(
          "对方返回 HTTP %d / the webhook answered HTTP %d%s"
              .formatted(status, status, said.isEmpty() ? "" : ": " + said));
    }
  }

  /** Hex HMAC-SHA256 of {@code text} under {@code secret}. */
  static String sign(String secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
