package com.onemember.hub.privacy;

import com.onemember.api.model.AccessLogEntry;
import com.onemember.api.model.AccessLogPage;
import com.onemember.api.server.PrivacyApi;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/access-log}: the access log, for auditors. */
@RestController
class AccessLogController implements PrivacyApi {

  private final AccessLog log;

  AccessLogController(AccessLog log) {
    this.log = log;
  }

  @Override
  public ResponseEntity<AccessLogPage> listAccessLog(
      UUID member, String actor, Long after, Integer limit) {
    int size = limit == null ? 50 : limit;
    List<AccessLog.Entry> rows = log.list(member, actor, after == null ? 0 : after, size + 1);
    AccessLogPage page = new AccessLogPage();
    for (AccessLog.Entry e : rows.subList(0, Math.min(size, rows.size()))) {
      page.addItemsItem(
          new AccessLogEntry()
              .seq(e.seq())
              .at(e.at().atOffset(ZoneOffset.UTC))
              .actor(e.actor())
              .role(com.onemember.api.model.Role.fromValue(e.role()))
              .memberId(e.memberId())
              .action(AccessLogEntry.ActionEnum.fromValue(e.action().name()))
              .operation(e.operation())
              .reason(e.reason()));
    }
    if (rows.size() > size) {
      page.next(rows.get(size - 1).seq());
    }
    return ResponseEntity.ok(page);
  }
}
