package com.onemember.hub.connectors;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.HookRefused;
import com.onemember.connectors.frame.HookRequest;
import com.onemember.connectors.frame.SourceTable;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.Transport;
import com.onemember.connectors.frame.WebhookKind;
import com.onemember.hub.camel.ErrorHandling;
import com.onemember.hub.imports.InboundQueue;
import com.onemember.mdm.ingest.SourceRecordWithdrawals;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.trace.Correlation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code onemember.hooks} → source records: each verified push request is read by its connector's
 * kind into pushes; a push for a deleted record is queued as its withdrawal, any other is merged
 * over the record's last document ({@link PushedDocuments}), mapped, and queued on {@code
 * onemember.inbound} like a polled row. A push the kind cannot map is stored with its reason among
 * the connector's rejections; the pushes beside it go on. Each request is one run of the connector
 * (counts, and "last push" as its position). A request whose kind names a delivery id goes through
 * Camel's idempotent consumer, its ids kept in PostgreSQL for a week, so a push sent again is taken
 * once. A push's database writes share one transaction.
 */
@Component
class HookRoute extends RouteBuilder {

  private static final Logger log = LoggerFactory.getLogger(HookRoute.class);

  /** The processor name of the taken delivery ids in {@code camel_messageprocessed}. */
  static final String DELIVERIES = "hooks";

  private final ConnectorRegistry registry;
  private final ConnectorStore store;
  private final PushedDocuments documents;
  private final SourceRecordWithdrawals withdrawals;
  private final InboundQueue inbound;
  private final Clock clock;
  private final HubName hub;
  private final JdbcMessageIdRepository deliveries;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final ProducerTemplate routes;

  HookRoute(
      ConnectorRegistry registry,
      ConnectorStore store,
      PushedDocuments documents,
      SourceRecordWithdrawals withdrawals,
      InboundQueue inbound,
      Clock clock,
      HubName hub,
      DataSource database,
      PlatformTransactionManager transactions,
      ProducerTemplate routes) {
    this.routes = routes;
    this.transaction = new TransactionTemplate(transactions);
    this.hub = hub;
    this.jdbc = new JdbcTemplate(database);
    this.deliveries = new JdbcMessageIdRepository(database, DELIVERIES);
    // Flyway made the table (V27); the hub's role may not create tables
    this.deliveries.setCreateTableIfNotExists(false);
    this.registry = registry;
    this.store = store;
    this.documents = documents;
    this.withdrawals = withdrawals;
    this.inbound = inbound;
    this.clock = clock;
  }

  @Override
  public void configure() {
    from("jms:queue:" + HookQueue.QUEUE + "?transacted=true")
        .routeId("connector-hooks")
        .routeConfigurationId(ErrorHandling.HOOKS_ID)
        .choice()
        .when(header(HookQueue.DELIVERY_ID).isNotNull())
        // a delivery the system sent again, not having heard the first answer: taken once
        .idempotentConsumer(header(HookQueue.DELIVERY_ID), deliveries)
        // the id is kept once the push is processed, not before: a hub that dies in between
        // leaves the push to be taken again (merging and queueing it twice changes nothing)
        .eager(false)
        .skipDuplicate(true)
        .process(this::inOneTransaction)
        .endChoice()
        .otherwise()
        .process(this::inOneTransaction)
        .end();

    from("timer:hook-deliveries-expiry?delay=60000&period=3600000")
        .routeId("hook-deliveries-expiry")
        .routeConfigurationId(ErrorHandling.PERIODIC_ID)
        .process(
            exchange ->
                jdbc.update(
                    "delete from camel_messageprocessed where processorName = ?"
                        + " and createdAt < now() - interval '7 days'",
                    DELIVERIES));
  }

  /**
   * One push's writes to the hub's database (its run, its document, the connector's state) in one
   * transaction: one commit to disk instead of five, which is what bounds how many pushes a
   * connector takes per second (they are taken one at a time, in order). A push that fails rolls
   * them back together and is delivered again.
   */
  private void inOneTransaction(Exchange exchange) {
    transaction.executeWithoutResult(status -> process(exchange));
  }

  private void process(Exchange exchange) {
    var message = exchange.getMessage();
    String id = message.getHeader(HookQueue.CONNECTOR, String.class);
    ConnectorInstance instance = registry.find(id).orElse(null);
    if (instance == null || !(registry.kind(instance) instanceof WebhookKind kind)) {
      // the instance file was removed after the push was taken: nothing can read it any more
      log.warn("A push for {} was dropped: no webhook connector of that id is declared now", id);
      return;
    }
    if (Boolean.TRUE.equals(message.getHeader(HookQueue.RESOLVED, Boolean.class))) {
      Instant started = clock.instant();
      long runId = store.startRun(id, hub.value(), started);
      take(
          instance,
          kind,
          runId,
          started,
          List.of(HookQueue.resolved(message.getBody(byte[].class))));
      return;
    }
    Map<String, String> headers =
        RecordJson.raw(message.getHeader(HookQueue.HEADERS, String.class));
    String query = message.getHeader(HookQueue.QUERY, String.class);
    HookRequest request =
        new HookRequest(
            headers,
            message.getBody(byte[].class),
            query == null ? Map.of() : RecordJson.raw(query));
    Instant started = clock.instant();
    long runId = store.startRun(id, hub.value(), started);
    List<WebhookKind.Push> pushes;
    try {
      pushes = kind.read(instance, request);
    } catch (HookRefused e) {
      // the controller read it before answering, so only a kind that changed in between gets here
      store.reject(
          id, null, e.getMessage(), RecordJson.write(Map.of("body", text(request))), started);
      store.endRun(
          runId,
          new ConnectorStore.Counts(0, 0, 1, 0),
          FailureKind.SOURCE_SYSTEM.name(),
          e.getMessage(),
          clock.instant());
      return;
    } catch (RuntimeException e) {
      store.endRun(
          runId,
          new ConnectorStore.Counts(0, 0, 0, 0),
          FailureKind.TRANSIENT.name(),
          "读取推送失败，将重试 / reading the push failed, it is retried: " + e,
          clock.instant());
      throw e;
    }
    take(instance, kind, runId, started, pushes);
  }

  /** Takes a request's pushes in order, as run {@code runId} of the connector. */
  private void take(
      ConnectorInstance instance,
      WebhookKind kind,
      long runId,
      Instant started,
      List<WebhookKind.Push> pushes) {
    String id = instance.id();
    int read = 0;
    int rejected = 0;
    int withdrawn = 0;
    List<InboundQueue.RecordChange> changes = new ArrayList<>();
    int queued = 0;
    boolean readAgain = false;
    try {
      for (WebhookKind.Push push : pushes) {
        read++;
        if (push.change() == WebhookKind.Change.READ_AGAIN) {
          readAgain = true;
        } else if (push.change() == WebhookKind.Change.ERASE_ALL) {
          // the system left and asks that nothing of it stay: every record it ever gave
          List<String> keys = store.everyRecordKey(id);
          for (String key : keys) {
            changes.add(
                InboundQueue.RecordChange.erased(
                    key, "system erasure request from " + id + " / 来自 " + id + " 的全部删除请求"));
          }
          store.forgetEverythingOf(id);
          withdrawn += keys.size();
        } else if (push.key() == null || push.key().isBlank()) {
          rejected++;
          store.reject(
              id,
              null,
              "推送的记录没有 id / the pushed record has no id",
              RecordJson.write(Map.of("push", push.raw())),
              started);
        } else if (push.change() == WebhookKind.Change.DATA_REQUEST) {
          store.dataRequest(id, push.key(), push.raw(), started);
        } else if (push.change() == WebhookKind.Change.ERASE) {
          // after the record's earlier changes, like a deletion; what the connector kept of it
          // goes now
          documents.forget(id, push.key());
          store.forget(id, List.of(push.key()));
          changes.add(
              InboundQueue.RecordChange.erased(
                  push.key(), "privacy request from " + id + " / 来自 " + id + " 的隐私删除请求"));
          withdrawn++;
        } else if (push.deleted()) {
          // queued behind the record's earlier changes, so it never overtakes its creation; a
          // tombstone keeps a late update from bringing it back
          documents.deleted(id, push.key(), started);
          store.forget(id, List.of(push.key())); // a polled kind sends it again if it comes back
          changes.add(InboundQueue.RecordChange.deleted(push.key()));
          withdrawn++;
        } else {
          WebhookKind.Push resolved;
          try {
            resolved = kind.resolve(instance, push);
          } catch (SourceUnavailable e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
          Map<String, String> document =
              documents.merge(id, push.key(), resolved.fields(), kind.versionField(), started);
          if (document == null) {
            continue; // an older version than the hub has: a late delivery
          }
          try {
            changes.add(
                new InboundQueue.RecordChange(
                    push.key(), RecordJson.write(kind.map(id, document))));
            queued++;
          } catch (SourceTable.RowRejected e) {
            rejected++;
            store.reject(id, push.key(), e.getMessage(), RecordJson.write(document), started);
          }
        }
      }
      try (Correlation.Scope scope = Correlation.open(Correlation.ofRun(runId))) {
        inbound.sendRecords(id, changes);
      }
    } catch (RuntimeException e) {
      // the hub's side failed (its database, the broker): the request is delivered again
      store.endRun(
          runId,
          new ConnectorStore.Counts(read, 0, rejected, withdrawn),
          FailureKind.TRANSIENT.name(),
          "处理推送失败，将重试 / processing the push failed, it is retried: " + e,
          clock.instant());
      throw e;
    }
    Instant now = clock.instant();
    store.pushArrived(id, started);
    if (kind.transport() == Transport.WEBHOOK) {
      store.succeeded(id, "last push at " + now, now);
    } else {
      store.pushed(id, now); // a polled kind's position is its reads'
    }
    store.endRun(
        runId, new ConnectorStore.Counts(read, queued, rejected, withdrawn), null, null, now);
    if (readAgain && kind.transport() != Transport.WEBHOOK) {
      // as the schedule's tick would: only where this hub leads, after a failure's backoff
      ConnectorRoutes.startSync(routes, id, false, "A read that a push asked for");
    }
  }

  private static String text(HookRequest request) {
    return new String(request.body(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
