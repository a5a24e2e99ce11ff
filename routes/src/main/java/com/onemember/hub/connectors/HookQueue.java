package com.onemember.hub.connectors;

import com.onemember.connectors.frame.HookRequest;
import com.onemember.mdm.store.RecordJson;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * The durable queue {@code onemember.hooks} between a push's answer and its processing: the body as
 * it came (bytes) and the headers as JSON. A connector's pushes share a message group, so one
 * consumer among all hubs takes them, in the order they came.
 */
@Component
class HookQueue {

  static final String QUEUE = "onemember.hooks";
  static final String CONNECTOR = "OneMemberConnector";
  static final String HEADERS = "OneMemberHookHeaders";

  /** {@code <connector-id>:<the system's delivery id>}, when the kind names one. */
  static final String DELIVERY_ID = "OneMemberDeliveryId";

  private final JmsTemplate jms;

  HookQueue(ConnectionFactory connectionFactory) {
    this.jms = new JmsTemplate(connectionFactory);
    this.jms.setSessionTransacted(true);
  }

  /** Returns once the broker holds the request on disk. */
  void send(String connectorId, HookRequest request, String deliveryId) {
    jms.send(
        QUEUE,
        session -> {
          BytesMessage message = session.createBytesMessage();
          message.writeBytes(request.body());
          message.setStringProperty(CONNECTOR, connectorId);
          message.setStringProperty(HEADERS, RecordJson.write(request.headers()));
          message.setStringProperty("JMSXGroupID", "hooks-" + connectorId);
          if (deliveryId != null) {
            message.setStringProperty(DELIVERY_ID, connectorId + ":" + deliveryId);
          }
          return message;
        });
  }
}
