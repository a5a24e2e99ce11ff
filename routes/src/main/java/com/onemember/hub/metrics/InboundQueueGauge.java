package com.onemember.hub.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.annotation.PreDestroy;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.DelegatingConnectionFactory;
import org.springframework.jms.connection.SingleConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * {@code onemember_inbound_queue_depth}: the messages waiting on {@code onemember.inbound} (an
 * import's chunk of rows counts once, a connector's record once), as the broker counts them: one
 * core-protocol question per round ({@link MetricsRoute}), not a browse of the queue. The broker is
 * shared, so every hub reports the same figure. NaN while the broker cannot be asked.
 */
@Component
class InboundQueueGauge implements MeterBinder {

  private static final Logger log = LoggerFactory.getLogger(InboundQueueGauge.class);
  private static final SimpleString QUEUE = SimpleString.of("onemember.inbound");

  private final ActiveMQConnectionFactory broker;
  private ClientSessionFactory sessions;
  private ClientSession session;
  private volatile double depth = Double.NaN;
  private final java.util.concurrent.atomic.AtomicBoolean warned =
      new java.util.concurrent.atomic.AtomicBoolean();

  InboundQueueGauge(ConnectionFactory connectionFactory) {
    this.broker = artemis(connectionFactory);
  }

  private static ActiveMQConnectionFactory artemis(ConnectionFactory factory) {
    ConnectionFactory f = factory;
    for (int i = 0; i < 5; i++) {
      if (f instanceof ActiveMQConnectionFactory artemis) {
        return artemis;
      }
      if (f instanceof SingleConnectionFactory single) {
        f = single.getTargetConnectionFactory();
      } else if (f instanceof DelegatingConnectionFactory delegating) {
        f = delegating.getTargetConnectionFactory();
      } else {
        break;
      }
    }
    return null;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("onemember.inbound.queue.depth", this, g -> g.depth)
        .description(
            "Messages waiting on onemember.inbound (a chunk of an import's rows counts once)")
        .register(registry);
  }

  /** Asks the broker how many messages wait. */
  synchronized void refresh() {
    if (broker == null) {
      return;
    }
    try {
      if (session == null || session.isClosed()) {
        close();
        sessions = broker.getServerLocator().createSessionFactory();
        // with the hub's broker credentials: a secured broker refuses an anonymous session
        session =
            sessions.createSession(
                broker.getUser(),
                broker.getPassword(),
                false,
                true,
                true,
                false,
                org.apache.activemq.artemis.api.core.client.ActiveMQClient.DEFAULT_ACK_BATCH_SIZE);
      }
      ClientSession.QueueQuery query = session.queueQuery(QUEUE);
      depth = query.isExists() ? query.getMessageCount() : 0;
    } catch (Exception e) {
      // a warning when it stops answering (and the first time), not every ten seconds
      if (!Double.isNaN(depth) || warned.compareAndSet(false, true)) {
        log.warn("Could not ask the broker for the inbound queue's depth: {}", e.toString());
      }
      depth = Double.NaN;
      close();
    }
  }

  @PreDestroy
  synchronized void close() {
    try {
      if (session != null) {
        session.close();
      }
    } catch (Exception e) {
      log.debug("Closing the broker session: {}", e.toString());
    }
    if (sessions != null) {
      sessions.close();
    }
    session = null;
    sessions = null;
  }
}
