package com.onemember.hub.connectors;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.HookRefused;
import com.onemember.connectors.frame.HookRequest;
import com.onemember.connectors.frame.WebhookKind;
import com.onemember.hub.api.ApiErrors;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /hooks/<connector-id>}: where a pushing system's requests arrive, outside the
 * bearer-token API (the system signs each request its own way and the connector's kind checks it).
 * A verified request whose body the kind can read is put on the durable queue {@code
 * onemember.hooks} and answered 202 at once; {@link HookRoute} does the rest. Senders retry what is
 * not answered 2xx, so every refusal says why: 404 unknown or disabled connector, 401 a signature
 * that does not hold, 400 a body the kind cannot read, 413 a body over 1 MB, 503 a paused connector
 * or a broker that cannot take the request now.
 */
@RestController
class HooksController {

  /** The largest push taken: a page of members, not an export. */
  static final int MAX_BODY = 1024 * 1024;

  private final ConnectorRegistry registry;
  private final ConnectorStore store;
  private final HookQueue queue;

  HooksController(ConnectorRegistry registry, ConnectorStore store, HookQueue queue) {
    this.registry = registry;
    this.store = store;
    this.queue = queue;
  }

  @PostMapping("/hooks/{id}")
  void receive(@PathVariable String id, HttpServletRequest http, HttpServletResponse response)
      throws IOException {
    ConnectorInstance instance = registry.find(id).orElse(null);
    if (instance == null
        || !instance.enabled()
        || !(registry.kind(instance) instanceof WebhookKind kind)) {
      ApiErrors.write(
          response,
          HttpStatus.NOT_FOUND,
          "no-such-hook",
          "没有接收推送的连接器 " + id + " / no enabled connector " + id + " takes pushes here");
      return;
    }
    byte[] body = http.getInputStream().readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      ApiErrors.write(
          response,
          HttpStatus.CONTENT_TOO_LARGE,
          "push-too-large",
          "推送超过 1 MB，请分批发送 / the push is larger than 1 MB: send the members in several"
              + " requests");
      return;
    }
    HookRequest request = new HookRequest(headers(http), body, query(http));
    boolean changes;
    try {
      kind.verify(instance, request);
      // read once here to answer a body the kind cannot read at all with 400; the pushes
      // themselves are read again, and processed, from the queue
      changes = !kind.read(instance, request).isEmpty();
    } catch (HookRefused e) {
      ApiErrors.write(response, HttpStatus.valueOf(e.status()), "hook-refused", e.getMessage());
      return;
    }
    // said only to a sender that proved who it is
    if (store.state(id).map(ConnectorStore.State::paused).orElse(false)) {
      response.setHeader("Retry-After", "60");
      ApiErrors.write(
          response,
          HttpStatus.SERVICE_UNAVAILABLE,
          "paused",
          "连接器 " + id + " 已暂停，请稍后重发 / connector " + id + " is paused: send again later");
      return;
    }
    WebhookKind.Accepted answer = kind.accepted();
    if (!changes) {
      // a ping, a test message: nothing to keep
      answer(response, answer);
      return;
    }
    try {
      queue.send(id, request, kind.deliveryId(instance, request));
    } catch (RuntimeException e) {
      response.setHeader("Retry-After", "10");
      ApiErrors.write(
          response,
          HttpStatus.SERVICE_UNAVAILABLE,
          "queue-unavailable",
          "暂时无法接收，请稍后重发 / the hub cannot take the request now: send it again later");
      return;
    }
    answer(response, answer);
  }

  private static void answer(HttpServletResponse response, WebhookKind.Accepted answer)
      throws IOException {
    response.setStatus(answer.status());
    response.setContentType(answer.contentType());
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(answer.body());
  }

  /**
   * A system checking the address before it pushes (WeChat's signed {@code echostr}): answered as
   * the kind says, as plain text.
   */
  @org.springframework.web.bind.annotation.GetMapping("/hooks/{id}")
  void check(@PathVariable String id, HttpServletRequest http, HttpServletResponse response)
      throws IOException {
    ConnectorInstance instance = registry.find(id).orElse(null);
    java.util.Optional<String> answer = java.util.Optional.empty();
    if (instance != null
        && instance.enabled()
        && registry.kind(instance) instanceof WebhookKind kind) {
      try {
        answer = kind.check(instance, query(http));
      } catch (HookRefused e) {
        ApiErrors.write(response, HttpStatus.valueOf(e.status()), "hook-refused", e.getMessage());
        return;
      }
    }
    if (answer.isEmpty()) {
      ApiErrors.write(
          response,
          HttpStatus.NOT_FOUND,
          "no-such-hook",
          "没有以 GET 校验地址的连接器 "
              + id
              + " / no enabled connector "
              + id
              + " checks its address by GET");
      return;
    }
    response.setStatus(200);
    response.setContentType("text/plain");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(answer.get());
  }

  /**
   * The query string's parameters (the first value of each), decoded from the query string alone:
   * the servlet's parameter map would also read a form-encoded body, which is the kind's to read.
   */
  static Map<String, String> query(HttpServletRequest http) {
    Map<String, String> query = new LinkedHashMap<>();
    String raw = http.getQueryString();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        query.putIfAbsent(
            java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8),
            java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // a malformed escape: the parameter is left out, and a signature over it fails
      }
    }
    return query;
  }

  /**
   * The request's headers by lower-case name, without credentials meant for something else (they
   * would travel on the queue and into its dead letters).
   */
  private static Map<String, String> headers(HttpServletRequest http) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : Collections.list(http.getHeaderNames())) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!lower.equals("authorization") && !lower.equals("cookie")) {
        headers.put(lower, http.getHeader(name));
      }
    }
    return headers;
  }
}
