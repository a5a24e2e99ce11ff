package com.onemember.hub.outbound;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code onemember.outbound.*}: how often the outbox is relayed, and the consuming systems that get
 * golden-record changes by webhook.
 *
 * @param relayPeriod how often committed events are positioned and published
 * @param webhooks the consuming systems, each with its own durable subscription
 */
@ConfigurationProperties("onemember.outbound")
public record OutboundSettings(
    @DefaultValue("200ms") Duration relayPeriod, List<Webhook> webhooks) {

  public OutboundSettings {
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    for (Webhook w : webhooks) {
      w.check();
    }
    if (webhooks.stream().map(Webhook::name).distinct().count() != webhooks.size()) {
      throw new IllegalArgumentException(
          "onemember.outbound.webhooks: 名称重复 / two webhooks have the same name");
    }
  }

  /**
   * One consuming system reached by webhook.
   *
   * @param name the system's name; names its durable subscription and its dead letters
   * @param url where events are POSTed
   * @param secret the HMAC-SHA256 key of the {@code X-OneMember-Signature} header
   * @param sources the source names (patterns such as {@code pos-*}) that are this system's own: a
   *     change they caused reaches it as LINKED, not as news
   * @param maxAttempts attempts per event before it goes to the dead letters
   * @param initialBackoff the wait before the second attempt, doubled for each further one
   * @param maxBackoff the longest wait between two attempts
   * @param timeout how long one POST may take
   * @param grants the kinds of personal data the system may hold ({@code mobile}, {@code email},
   *     {@code birthday}, {@code address}, {@code national-id}); the others are stripped from its
   *     events, with the source records' raw cells. Left out: every kind, as before grants existed
   */
  public record Webhook(
      String name,
      String url,
      String secret,
      List<String> sources,
      @DefaultValue("6") int maxAttempts,
      @DefaultValue("1s") Duration initialBackoff,
      @DefaultValue("5m") Duration maxBackoff,
      @DefaultValue("10s") Duration timeout,
      List<String> grants) {

    public Webhook {
      sources = sources == null ? List.of() : List.copyOf(sources);
    }

    void check() {
      String which = "onemember.outbound.webhooks[" + name + "]";
      if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException(
            which + ": name 只能用字母、数字、- 和 _ / name may hold letters, digits, - and _ only");
      }
      if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
        throw new IllegalArgumentException(
            which + ": url 必须以 http:// 或 https:// 开头 / url must start with http:// or https://");
      }
      if (secret == null || secret.length() < 16) {
        throw new IllegalArgumentException(
            which + ": secret 至少 16 个字符 / the secret must have at least 16 characters");
      }
      try {
        PersonalDataGrants.withheld(grants);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(which + ": " + e.getMessage(), e);
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException(
            which + ": max-attempts 至少为 1 / max-attempts must be at least 1");
      }
    }

    /** Whether {@code source} is one of this system's own. */
    public boolean owns(String source) {
      return source != null
          && sources.stream().anyMatch(p -> com.onemember.canonical.SourceNames.matches(p, source));
    }
  }
}
