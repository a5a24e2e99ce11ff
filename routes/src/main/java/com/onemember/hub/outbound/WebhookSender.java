package com.onemember.hub.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.onemember.mdm.store.RecordJson;
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
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Posts one event to one consuming system's webhook, signed. The body is the event as published;
 * for a change the system's own records caused, only the link of its records to the golden id (type
 * LINKED): no echo of its own change as news.
 *
 * <p>Headers: {@code X-OneMember-Event-Id} (the idempotency key), {@code X-OneMember-Timestamp}
 * (Unix seconds) and {@code X-OneMember-Signature: sha256=<hex>}, the HMAC-SHA256 with the
 * webhook's secret of {@code <timestamp>.<body>}, so a receiver can check both who sent it and that
 * it is not an old message played again.
 */
@Component
public class WebhookSender {

  static final String EVENT_ID = "X-OneMember-Event-Id";
  static final String TIMESTAMP = "X-OneMember-Timestamp";
  static final String SIGNATURE = "X-OneMember-Signature";

  private final HttpClient http = HttpClient.newBuilder().build();
  private final Clock clock;

  WebhookSender(Clock clock) {
    this.clock = clock;
  }

  /** Why a webhook did not take an event, in words an operator can act on. */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /** The body {@code webhook} gets for the published event {@code json}. */
  public String body(OutboundSettings.Webhook webhook, String json) {
    JsonNode event = read(json);
    String origin = event.path("originSource").asText(null);
    if (!webhook.owns(origin)) {
      return json;
    }
    ObjectNode link = RecordJson.mapper().createObjectNode();
    link.set("eventId", event.get("eventId"));
    link.set("position", event.get("position"));
    link.put("type", "LINKED");
    link.set("memberId", event.get("memberId"));
    link.set("version", event.get("version"));
    link.set("originSource", event.get("originSource"));
    link.set("occurredAt", event.get("occurredAt"));
    ArrayNode own = link.putArray("sourceRecords");
    for (JsonNode r : event.path("sourceRecords")) {
      if (webhook.owns(r.path("source").asText())) {
        own.add(r);
      }
    }
    return link.toString();
  }

  /** Posts {@code body}; returns normally only on a 2xx answer. */
  public void post(OutboundSettings.Webhook webhook, String eventId, String body) throws Refused {
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(webhook.url()))
            .timeout(webhook.timeout())
            .header("Content-Type", "application/json; charset=utf-8")
            .header(EVENT_ID, eventId)
            .header(TIMESTAMP, timestamp)
            .header(SIGNATURE, "sha256=" + sign(webhook.secret(), timestamp + "." + body))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new Refused("无法连接 " + webhook.url() + " / cannot connect to " + webhook.url());
    } catch (HttpTimeoutException e) {
      throw new Refused(
          "超时（%s）未应答 / no answer within %s".formatted(webhook.timeout(), webhook.timeout()));
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
  public static String sign(String secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static JsonNode read(String json) {
    try {
      return RecordJson.mapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a golden event: " + e.getMessage(), e);
    }
  }
}
