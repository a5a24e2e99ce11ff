package com.onemember.hub.connectors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.onemember.api.model.Connector;
import com.onemember.api.model.ConnectorDataRequest;
import com.onemember.api.model.ConnectorDataRequestPage;
import com.onemember.api.model.ConnectorList;
import com.onemember.api.model.ConnectorRejection;
import com.onemember.api.model.ConnectorRejectionPage;
import com.onemember.api.model.ConnectorRun;
import com.onemember.api.model.ConnectorRunPage;
import com.onemember.api.model.ConnectorState;
import com.onemember.api.model.ConnectorWebhooks;
import com.onemember.api.server.ConnectorsApi;
import com.onemember.connectors.frame.ChangesSource;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.SnapshotKind;
import com.onemember.connectors.frame.Transport;
import com.onemember.connectors.frame.WebhookKind;
import com.onemember.hub.api.ApiProblem;
import com.onemember.hub.members.MemberViews;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SourceRecordEntity;
import com.onemember.mdm.store.SourceRecordRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/connectors}: state, runs, rejections; run now, pause, resume. */
@RestController
class ConnectorsController implements ConnectorsApi {

  private static final Logger log = LoggerFactory.getLogger(ConnectorsController.class);

  private final ConnectorRegistry registry;
  private final ConnectorStore store;

  /** Starts a person's run through the connector's sync route, on Camel's threads. */
  private final ProducerTemplate routes;

  private final Clock clock;

  private final SourceRecordRepository records;
  private final MemberRepository members;
  private final MemberViews views;
  private final MemberRegistrations registrations;
  private final StaffHandovers handovers;

  ConnectorsController(
      ConnectorRegistry registry,
      ConnectorStore store,
      ProducerTemplate routes,
      Clock clock,
      SourceRecordRepository records,
      MemberRepository members,
      MemberViews views,
      MemberRegistrations registrations,
      StaffHandovers handovers) {
    this.handovers = handovers;
    this.registrations = registrations;
    this.registry = registry;
    this.store = store;
    this.routes = routes;
    this.clock = clock;
    this.records = records;
    this.members = members;
    this.views = views;
  }

  @Override
  public ResponseEntity<ConnectorList> listConnectors() {
    ConnectorList list = new ConnectorList();
    registry.instances().forEach(i -> list.addItemsItem(view(i)));
    return ResponseEntity.ok(list);
  }

  @Override
  public ResponseEntity<ConnectorRunPage> listConnectorRuns(String id, Long before, Integer limit) {
    find(id);
    int size = limit == null ? 50 : limit;
    List<ConnectorStore.Run> runs = store.runs(id, before, size + 1);
    ConnectorRunPage page = new ConnectorRunPage();
    runs.stream().limit(size).forEach(r -> page.addItemsItem(view(r)));
    if (runs.size() > size) {
      page.next(runs.get(size - 1).id());
    }
    return ResponseEntity.ok(page);
  }

  @Override
  public ResponseEntity<ConnectorRejectionPage> listConnectorRejections(
      String id, Long before, Integer limit) {
    find(id);
    int size = limit == null ? 50 : limit;
    List<ConnectorStore.Rejection> found = store.rejections(id, before, size + 1);
    ConnectorRejectionPage page = new ConnectorRejectionPage();
    found.stream()
        .limit(size)
        .forEach(
            r ->
                page.addItemsItem(
                    new ConnectorRejection()
                        .id(r.id())
                        .sourceRecordId(r.sourceRecordId())
                        .reason(r.reason())
                        .kept(r.kept())
                        .raw(map(r.raw()))
                        .at(utc(r.at()))));
    if (found.size() > size) {
      page.next(found.get(size - 1).id());
    }
    return ResponseEntity.ok(page);
  }

  @Override
  @org.springframework.transaction.annotation.Transactional(readOnly = true)
  public ResponseEntity<ConnectorDataRequestPage> listConnectorDataRequests(
      String id, Long before, Integer limit) {
    find(id);
    int size = limit == null ? 50 : limit;
    List<ConnectorStore.DataRequest> found = store.dataRequests(id, before, size + 1);
    ConnectorDataRequestPage page = new ConnectorDataRequestPage();
    for (ConnectorStore.DataRequest r : found.subList(0, Math.min(size, found.size()))) {
      ConnectorDataRequest out =
          new ConnectorDataRequest()
              .id(r.id())
              .sourceRecordId(r.sourceRecordId())
              .request(map(r.request()))
              .receivedAt(utc(r.receivedAt()));
      // what the hub holds now, not when it was asked: an answer that is still true
      records
          .findBySourceAndSourceRecordId(id, r.sourceRecordId())
          .map(SourceRecordEntity::getMemberId)
          .flatMap(members::findById)
          .filter(m -> m.getErasedAt() == null)
          .ifPresent(m -> out.member(views.view(m)));
      page.addItemsItem(out);
    }
    if (found.size() > size) {
      page.next(found.get(size - 1).id());
    }
    return ResponseEntity.ok(page);
  }

  @Override
  public ResponseEntity<Connector> resyncConnector(String id, OffsetDateTime from) {
    ConnectorInstance instance = runnable(id);
    boolean readsChanges =
        registry.kind(instance) instanceof SnapshotKind snapshots
            && snapshots.source(instance) instanceof ChangesSource;
    if (from != null && !readsChanges) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "no-change-times",
          "连接器 "
              + id
              + " 的系统不记录修改时间，只能全部重发，请去掉 from / "
              + instance.kind()
              + " keeps no change times, so a resync sends every row: call it without from");
    }
    store.forgetAll(id);
    if (readsChanges) {
      // from a time: what changed since; without: a complete read, which also finds deletions
      store.reposition(id, from == null ? null : from.toInstant().toString(), clock.instant());
    }
    start(id);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(instance));
  }

  @Override
  public ResponseEntity<com.onemember.api.model.MemberRegistered> registerConnectorMember(
      String id, com.onemember.api.model.MemberRegistration request) {
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(registrations.register(id, request));
  }

  @Override
  public ResponseEntity<com.onemember.api.model.StaffHandoverResult> handOverCustomers(
      String id, com.onemember.api.model.StaffHandoverRequest request) {
    String actor =
        org.springframework.security.core.context.SecurityContextHolder.getContext()
            .getAuthentication()
            .getName();
    return ResponseEntity.ok(handovers.handOver(id, request, actor));
  }

  @Override
  public ResponseEntity<Connector> runConnector(String id) {
    ConnectorInstance instance = runnable(id);
    start(id);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(instance));
  }

  /** The connector, if it may be run now: enabled and not paused. */
  private ConnectorInstance runnable(String id) {
    ConnectorInstance instance = find(id);
    if (!instance.enabled()) {
      throw new ApiProblem(
          HttpStatus.CONFLICT,
          "disabled",
          "连接器 "
              + id
              + " 已停用 / connector "
              + id
              + " is disabled in "
              + instance.file().getFileName());
    }
    if (registry.kind(instance).transport() == Transport.WEBHOOK) {
      throw new ApiProblem(
          HttpStatus.CONFLICT,
          "pushes",
          "连接器 "
              + id
              + " 由对方系统推送，无需手动同步 / connector "
              + id
              + " is pushed to by its system at /hooks/"
              + id
              + "; there is nothing to poll");
    }
    if (store.state(id).map(ConnectorStore.State::paused).orElse(false)) {
      throw new ApiProblem(
          HttpStatus.CONFLICT,
          "paused",
          "连接器 " + id + " 已暂停，请先恢复 / connector " + id + " is paused: resume it first");
    }
    return instance;
  }

  private void start(String id) {
    ConnectorRoutes.startSync(routes, id, true, "Manual sync");
  }

  @Override
  public ResponseEntity<Connector> pauseConnector(String id) {
    ConnectorInstance instance = find(id);
    store.setPaused(id, true, clock.instant());
    return ResponseEntity.ok(view(instance));
  }

  @Override
  public ResponseEntity<Connector> resumeConnector(String id) {
    ConnectorInstance instance = find(id);
    store.setPaused(id, false, clock.instant());
    return ResponseEntity.ok(view(instance));
  }

  private ConnectorInstance find(String id) {
    return registry.find(id).orElseThrow(() -> ApiProblem.notFound("连接器 / connector", id));
  }

  private Connector view(ConnectorInstance instance) {
    String id = instance.id();
    ConnectorStore.State state = store.state(id).orElse(null);
    long[] totals = store.totals(id);
    Connector out =
        new Connector()
            .id(id)
            .kind(instance.kind())
            .file(instance.file().getFileName().toString())
            .enabled(instance.enabled())
            .syncing(store.syncing(id))
            .recordsIn(totals[0])
            .recordsOut(state == null ? 0L : state.recordsOut())
            .rejected(totals[1])
            .keptWithWarnings(totals[2]);
    if (instance.schedule() != null) {
      out.scheduleSeconds(instance.schedule().toSeconds());
    }
    out.state(ConnectorStates.of(instance, state));
    if (out.getState() == ConnectorState.FAILING) {
      out.failure(state.lastFailure());
    }
    if (state != null) {
      out.position(state.position());
      if (state.lastSuccessAt() != null) {
        out.lastSuccessAt(utc(state.lastSuccessAt()))
            .lagSeconds(Duration.between(state.lastSuccessAt(), clock.instant()).toSeconds());
      }
      if (state.lastFailureAt() != null) {
        out.lastFailureAt(utc(state.lastFailureAt()));
      }
    }
    if (registry.kind(instance) instanceof WebhookKind) {
      ConnectorWebhooks webhooks = new ConnectorWebhooks().problems(new java.util.ArrayList<>());
      if (state != null) {
        webhooks.lastPushAt(utc(state.lastPushAt())).checkedAt(utc(state.webhooksCheckedAt()));
        if (state.webhookProblems() != null) {
          webhooks.problems(new java.util.ArrayList<>(state.webhookProblems()));
        }
      }
      out.webhooks(webhooks);
    }
    return out;
  }

  private static ConnectorRun view(ConnectorStore.Run r) {
    ConnectorRun out =
        new ConnectorRun()
            .id(r.id())
            .startedAt(utc(r.startedAt()))
            .recordsRead(r.recordsRead())
            .recordsQueued(r.recordsQueued())
            .recordsRejected(r.recordsRejected())
            .recordsWithdrawn(r.recordsWithdrawn())
            .hub(r.hub())
            .failure(r.failure());
    if (r.endedAt() != null) {
      out.endedAt(utc(r.endedAt()));
    }
    if (r.failureKind() != null) {
      out.failureKind(ConnectorRun.FailureKindEnum.fromValue(r.failureKind()));
    }
    return out;
  }

  private static Map<String, Object> map(String json) {
    try {
      return RecordJson.mapper().readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static OffsetDateTime utc(Instant at) {
    return at == null ? null : at.atOffset(ZoneOffset.UTC);
  }
}
