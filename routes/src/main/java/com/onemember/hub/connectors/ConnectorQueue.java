package com.onemember.hub.connectors;

import com.onemember.hub.imports.InboundHeaders;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.List;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts a batch of a connector's source records on {@code onemember.inbound} in one JMS transaction:
 * when {@link #send} returns, the broker holds all of them on disk, and the connector may move its
 * position past them.
 */
@Component
class ConnectorQueue {

  private final JmsTemplate jms;

  ConnectorQueue(ConnectionFactory connectionFactory) {
    this.jms = new JmsTemplate(connectionFactory);
    this.jms.setSessionTransacted(true);
  }

  void send(String connectorId, List<String> recordsJson) {
    jms.execute(
        (Session session) -> {
          try (MessageProducer producer =
              session.createProducer(session.createQueue("onemember.inbound"))) {
            for (String json : recordsJson) {
              var message = session.createTextMessage(json);
              message.setStringProperty(InboundHeaders.CONNECTOR, connectorId);
              producer.send(message);
            }
          }
          session.commit();
          return null;
        },
        true);
  }
}
