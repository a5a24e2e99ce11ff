package com.onemember.hub.outbound;

import com.onemember.connectors.frame.Signatures;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.hc.client5.http.ConnectTimeoutException;

/**
 * A consuming system reached by webhook ({@code onemember.outbound.webhooks}): each event is POSTed
 * as JSON, signed.
 *
 * <p>Headers: {@code X-OneMember-Event-Id} (the idempotency key), {@code X-OneMember-Timestamp}
 * (Unix seconds) and {@code X-OneMember-Signature: sha256=<hex>}, the HMAC-SHA256 with the
 * webhook's secret of {@code <timestamp>.<body>}, so a receiver can check both who sent it and that
 * it is not an old message played again.
 *
 * <p>The POST goes through Camel's http component ({@link #endpoint}): a pooled connection per
 * webhook host, the webhook's {@code timeout} for connecting and for the answer. The exchange is a
 * new one per event, so that no header of the JMS message that carried the event leaks to the
 * system as an HTTP header.
 */
final class SignedWebhook implements ConsumingSystem {

  static final String EVENT_ID = "X-OneMember-Event-Id";
  static final String TIMESTAMP = "X-OneMember-Timestamp";
  static final String SIGNATURE = "X-OneMember-Signature";

  private final OutboundSettings.Webhook config;
  private final ProducerTemplate camel;
  private final String endpoint;
  private final Clock clock;

  SignedWebhook(OutboundSettings.Webhook config, ProducerTemplate camel, Clock clock) {
    this.config = config;
    this.camel = camel;
    this.endpoint = endpoint(config);
    this.clock = clock;
  }

  /**
   * The Camel endpoint of the webhook's URL: the answer's status is read here rather than thrown
   * ({@code throwExceptionOnFailure=false}), so that a refusal keeps what the system said; query
   * parameters of the URL itself are passed on to the system.
   */
  static String endpoint(OutboundSettings.Webhook config) {
    long millis = config.timeout().toMillis();
    return config.url()
        + (config.url().contains("?") ? "&" : "?")
        + "throwExceptionOnFailure=false&connectTimeout="
        + millis
        + "&responseTimeout="
        + millis
        + "&connectionRequestTimeout="
        + millis;
  }

  @Override
  public java.util.Set<String> withheld() {
    return PersonalDataGrants.withheld(config.grants());
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
    Exchange answer =
        camel.send(
            endpoint,
            exchange -> {
              var message = exchange.getMessage();
              message.setHeader(Exchange.HTTP_METHOD, "POST");
              message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
              message.setHeader(EVENT_ID, eventId);
              message.setHeader(TIMESTAMP, timestamp);
              message.setHeader(
                  SIGNATURE,
                  Signatures.timestamped(
                      config.secret(), timestamp, body.getBytes(StandardCharsets.UTF_8)));
              message.setBody(body.getBytes(StandardCharsets.UTF_8));
            });
    Exception failed = answer.getException();
    if (failed != null) {
      throw new Refused(reason(failed));
    }
    Integer status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    if (status == null || status / 100 != 2) {
      String said = answer.getMessage().getBody(String.class);
      said = said == null ? "" : said.strip();
      if (said.length() > 200) {
        said = said.substring(0, 200) + "…";
      }
      throw new Refused(
          "对方返回 HTTP %d / the webhook answered HTTP %d%s"
              .formatted(status, status, said.isEmpty() ? "" : ": " + said));
    }
  }

  /** Why the POST got no answer, in words an operator can act on. */
  private String reason(Exception failed) {
    for (Throwable t = failed; t != null; t = t.getCause()) {
      if (t instanceof ConnectTimeoutException || t instanceof SocketTimeoutException) {
        return "超时（%s）未应答 / no answer within %s".formatted(config.timeout(), config.timeout());
      }
      if (t instanceof ConnectException) {
        return "无法连接 " + config.url() + " / cannot connect to " + config.url();
      }
    }
    return "网络错误 / network error: " + failed.getMessage();
  }
}
