package com.onemember.hub.connectors;

import com.onemember.connectors.frame.HookRequest;
import com.onemember.connectors.frame.WebhookKind;
import com.onemember.mdm.store.RecordJson;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * The durable queue {@code onemember.hooks} between a push's answer and its processing: the body as
 * it came (bytes, a JMS BytesMessage) and the headers as JSON. A connector's pushes share a message
 * group, so one consumer among all hubs takes them, in the order they came. Sent through Camel's
 * jms component, persistent, so that the sender hears from the broker before the push is answered.
 */
@Component
class HookQueue {

  static final String QUEUE = "onemember.hooks";
  static final String CONNECTOR = "OneMemberConnector";
  static final String HEADERS = "OneMemberHookHeaders";

  /** The request's query parameters, as JSON. */
  static final String QUERY = "OneMemberHookQuery";

  /** {@code <connector-id>:<the system's delivery id>}, when the kind names one. */
  static final String DELIVERY_ID = "OneMemberDeliveryId";

  /**
   * Set on a push the hub resolved itself (a registration at {@code POST
   * /api/v1/connectors/<id>/members}): the body is that push as JSON ({@link QueuedPush}), not a
   * system's request, and is taken without being read by the kind.
   */
  static final String RESOLVED = "OneMemberResolvedPush";

  private static final String ENDPOINT = "jms:queue:" + QUEUE + "?deliveryPersistent=true";

  private final ProducerTemplate camel;

  HookQueue(ProducerTemplate camel) {
    this.camel = camel;
  }

  /**
   * Returns once the broker holds the request on disk.
   *
   * @throws org.apache.camel.CamelExecutionException when the broker did not take it
   */
  void send(String connectorId, HookRequest request, String deliveryId) {
    Map<String, Object> headers = inGroup(connectorId);
    headers.put(HEADERS, RecordJson.write(request.headers()));
    headers.put(QUERY, RecordJson.write(request.query()));
    if (deliveryId != null) {
      headers.put(DELIVERY_ID, connectorId + ":" + deliveryId);
    }
    camel.sendBodyAndHeaders(ENDPOINT, request.body(), headers);
  }

  /**
   * The headers every message of the connector carries: its id, and its message group, so that one
   * consumer among all hubs takes its messages, in order.
   */
  private static Map<String, Object> inGroup(String connectorId) {
    Map<String, Object> headers = new HashMap<>();
    headers.put(CONNECTOR, connectorId);
    headers.put("JMSXGroupID", "hooks-" + connectorId);
    return headers;
  }

  /** A push the hub resolved itself, as it travels on the queue. */
  record QueuedPush(String key, Map<String, String> fields, String raw) {

    WebhookKind.Push push() {
      return WebhookKind.Push.upsert(key, fields, raw);
    }
  }

  /**
   * Queues a push the hub resolved itself, in the connector's message group, so that it is taken in
   * order with the pushes its system sends. Returns once the broker holds it on disk.
   *
   * @throws org.apache.camel.CamelExecutionException when the broker did not take it
   */
  void send(String connectorId, WebhookKind.Push push) {
    Map<String, Object> headers = inGroup(connectorId);
    headers.put(RESOLVED, true);
    byte[] body =
        RecordJson.write(new QueuedPush(push.key(), push.fields(), push.raw()))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    camel.sendBodyAndHeaders(ENDPOINT, body, headers);
  }

  /** A push {@link #send(String, WebhookKind.Push)} queued. */
  static WebhookKind.Push resolved(byte[] body) {
    try {
      return RecordJson.mapper().readValue(body, QueuedPush.class).push();
    } catch (java.io.IOException | RuntimeException e) {
      throw new IllegalStateException("a resolved push on " + QUEUE + " cannot be read", e);
    }
  }
}
