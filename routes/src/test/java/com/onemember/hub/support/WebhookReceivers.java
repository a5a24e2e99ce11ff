package com.onemember.hub.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Two consuming systems' webhook endpoints on a real local HTTP server, as a CRM and a POS vendor
 * would run them: each checks the HMAC-SHA256 signature of every POST against its secret, answers
 * 401 to a bad one, and can be taken down (503) and brought back.
 */
public final class WebhookReceivers {

  /** One receiving system. */
  public static final class Receiver {
    final String name;
    final String secret;
    volatile boolean up = true;
    volatile String refusing;
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    Receiver(String name, String secret) {
      this.name = name;
      this.secret = secret;
    }

    public String secret() {
      return secret;
    }

    public void down() {
      up = false;
    }

    public void up() {
      up = true;
    }

    /**
     * Refuses (422, as a system whose own validation rejects a record) every event whose body holds
     * {@code text}; {@code null} takes them all again.
     */
    public void refuse(String text) {
      refusing = text;
    }

    /** What it accepted, signature checked, in arrival order. */
    public List<Delivery> deliveries() {
      return List.copyOf(deliveries);
    }
  }

  /** One accepted POST. */
  public record Delivery(String eventId, String timestamp, String body, boolean signatureValid) {}

  private static WebhookReceivers instance;

  private final HttpServer server;
  private final Map<String, Receiver> receivers = new ConcurrentHashMap<>();

  private WebhookReceivers() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  public static synchronized WebhookReceivers get() {
    if (instance == null) {
      try {
        instance = new WebhookReceivers();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** The receiving system {@code name}, set up at its first mention. */
  public Receiver receiver(String name) {
    return receivers.computeIfAbsent(
        name,
        n -> {
          Receiver r = new Receiver(n, "whsec-" + n + "-5f2c9a7e41d3");
          server.createContext("/" + n, exchange -> handle(r, exchange));
          return r;
        });
  }

  public String url(String name) {
    receiver(name);
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
  }

  private static void handle(Receiver r, HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (!r.up) {
        answer(exchange, 503, "维护中 / down for maintenance");
        return;
      }
      String eventId = exchange.getRequestHeaders().getFirst("X-OneMember-Event-Id");
      String timestamp = exchange.getRequestHeaders().getFirst("X-OneMember-Timestamp");
      String signature = exchange.getRequestHeaders().getFirst("X-OneMember-Signature");
      String text = new String(body, StandardCharsets.UTF_8);
      boolean valid =
          signature != null
              && timestamp != null
              && signature.equals("sha256=" + hmac(r.secret, timestamp + "." + text));
      if (!valid) {
        answer(exchange, 401, "bad signature");
        return;
      }
      String refused = r.refusing;
      if (refused != null && text.contains(refused)) {
        answer(exchange, 422, "无法保存此会员 / cannot store this member");
        return;
      }
      r.deliveries.add(new Delivery(eventId, timestamp, text, true));
      answer(exchange, 204, null);
    }
  }

  private static void answer(HttpExchange exchange, int status, String text) throws IOException {
    if (text == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** Hex HMAC-SHA256, computed here independently of the hub's code. */
  static String hmac(String secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
