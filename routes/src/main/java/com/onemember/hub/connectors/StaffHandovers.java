package com.onemember.hub.connectors;

import com.onemember.api.model.StaffHandoverItem;
import com.onemember.api.model.StaffHandoverRequest;
import com.onemember.api.model.StaffHandoverResult;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.StaffHandoverKind;
import com.onemember.hub.api.ApiProblem;
import com.onemember.mdm.audit.MergeAction;
import com.onemember.mdm.audit.MergeLog;
import com.onemember.mdm.store.RecordJson;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /api/v1/connectors/<id>/handovers}: a person hands the customers of a staff member
 * who left to another staff member, through the system (WeCom's 离职继承). The hub asks the system
 * while the caller waits, then logs each customer's answer in the merge log under the customer's
 * member ({@link MergeAction#STAFF_HANDOVER}), naming who asked and why: the staff member who left
 * took no customers with them, and an auditor can see who moved whom. The records change when the
 * system's next read shows the customers with their new staff member.
 */
@Component
class StaffHandovers {

  private final ConnectorRegistry registry;
  private final ConnectorStore store;
  private final MergeLog mergeLog;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final Clock clock;

  StaffHandovers(
      ConnectorRegistry registry,
      ConnectorStore store,
      MergeLog mergeLog,
      JdbcTemplate jdbc,
      PlatformTransactionManager transactions,
      Clock clock) {
    this.registry = registry;
    this.store = store;
    this.mergeLog = mergeLog;
    this.jdbc = jdbc;
    this.transaction = new TransactionTemplate(transactions);
    this.clock = clock;
  }

  /** One customer's record with the staff member who left, and its member. */
  private record Held(String sourceRecordId, UUID memberId) {}

  StaffHandoverResult handOver(String id, StaffHandoverRequest request, String actor) {
    ConnectorInstance instance =
        registry.find(id).orElseThrow(() -> ApiProblem.notFound("连接器 / connector", id));
    if (!(registry.kind(instance) instanceof StaffHandoverKind kind)) {
      throw new ApiProblem(
          HttpStatus.CONFLICT,
          "no-handovers",
          "连接器 "
              + id
              + " 的系统不分配客户给员工，无法转交 / the system of connector "
              + id
              + " ("
              + instance.kind()
              + ") does not assign customers to staff, so it hands none over");
    }
    String from = required("from", request.getFrom());
    String to = required("to", request.getTo());
    String reason = required("reason", request.getReason());
    if (from.equals(to)) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "same-staff",
          "from 与 to 是同一员工 / from and to name the same staff member");
    }
    Map<String, Held> held = held(id, from);
    List<String> customers = new ArrayList<>();
    if (request.getCustomers() == null || request.getCustomers().isEmpty()) {
      customers.addAll(held.keySet());
    } else {
      request.getCustomers().stream().map(String::strip).distinct().forEach(customers::add);
    }
    if (customers.isEmpty()) {
      throw new ApiProblem(
          HttpStatus.CONFLICT,
          "no-customers",
          "hub 中没有由 "
              + from
              + " 跟进的 "
              + id
              + " 客户 / the hub holds no customer of "
              + id
              + " served by "
              + from);
    }
    List<StaffHandoverKind.Handover> answers;
    try {
      answers = kind.handOver(instance, from, to, customers);
    } catch (StaffHandoverKind.HandoverRefused e) {
      throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, e.code(), e.getMessage());
    } catch (SourceUnavailable e) {
      throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "system-unavailable", e.getMessage());
    }
    StaffHandoverResult result = new StaffHandoverResult().from(from).to(to);
    transaction.executeWithoutResult(
        status -> {
          for (StaffHandoverKind.Handover answer : answers) {
            Held record = held.get(answer.customer());
            StaffHandoverItem item =
                new StaffHandoverItem()
                    .customer(answer.customer())
                    .started(answer.started())
                    .code(answer.code())
                    .reason(answer.reason());
            if (record != null) {
              item.sourceRecordId(record.sourceRecordId()).memberId(record.memberId());
              log(id, record, answer, from, to, reason, actor);
              if (answer.started()) {
                store.handoverRequested(
                    id,
                    record.sourceRecordId(),
                    kind.recordKey(answer.customer(), to),
                    clock.instant());
              }
            }
            result.addItemsItem(item);
          }
        });
    return result;
  }

  private void log(
      String id,
      Held record,
      StaffHandoverKind.Handover answer,
      String from,
      String to,
      String reason,
      String actor) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("connector", id);
    evidence.put("customer", answer.customer());
    evidence.put("from", from);
    evidence.put("to", to);
    evidence.put("reason", reason);
    evidence.put("started", answer.started());
    evidence.put("systemCode", answer.code());
    if (answer.reason() != null) {
      evidence.put("refusal", answer.reason());
    }
    mergeLog.append(
        MergeAction.STAFF_HANDOVER,
        List.of(record.memberId()),
        List.of(id + ":" + record.sourceRecordId()),
        actor,
        RecordJson.write(evidence),
        clock.instant());
  }

  /**
   * The customers the hub holds as served by {@code staffId} in connector {@code id}, by the
   * system's customer id (the record id up to its first ':'), with their live member.
   */
  private Map<String, Held> held(String id, String staffId) {
    Map<String, Held> held = new LinkedHashMap<>();
    jdbc.query(
        """
        select s.source_record_id, coalesce(m.merged_into, m.id) as member_id
          from source_record s join member m on m.id = s.member_id
         where s.source = ? and s.raw -> 'servedBy' @> ?::jsonb
         order by s.source_record_id""",
        rs -> {
          String key = rs.getString(1);
          int at = key.indexOf(':');
          held.put(at < 0 ? key : key.substring(0, at), new Held(key, rs.getObject(2, UUID.class)));
        },
        id,
        RecordJson.write(List.of(Map.of("source", id, "staffId", staffId))));
    return held;
  }

  private static String required(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "missing-" + field,
          "缺少 " + field + " / " + field + " is required");
    }
    return value.strip();
  }
}
