package com.onemember.hub.audit;

import com.onemember.api.model.MergeAction;
import com.onemember.api.model.MergeLogEntry;
import com.onemember.api.model.MergeLogPage;
import com.onemember.api.model.MergeLogVerification;
import com.onemember.api.server.AuditApi;
import com.onemember.hub.api.ApiProblem;
import com.onemember.hub.api.ExportCells;
import com.onemember.mdm.audit.MergeLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/merge-log}, as the OpenAPI contract defines it. */
@RestController
class MergeLogController implements AuditApi {

  private final JdbcTemplate jdbc;
  private final MergeLog mergeLog;
  private final MergeLogCheckpoints checkpoints;

  MergeLogController(JdbcTemplate jdbc, MergeLog mergeLog, MergeLogCheckpoints checkpoints) {
    this.jdbc = jdbc;
    this.mergeLog = mergeLog;
    this.checkpoints = checkpoints;
  }

  /** A WHERE clause and its arguments built from the filters. */
  private record Filter(String where, List<Object> args) {}

  /** The years PostgreSQL's timestamps and Java's both hold, and an auditor may mean. */
  private static final int FIRST_YEAR = 1;

  private static final int LAST_YEAR = 9999;

  /** A filter time PostgreSQL cannot compare (the year 99999) is the caller's to fix: 400. */
  private static void inRange(String name, OffsetDateTime time) {
    if (time != null && (time.getYear() < FIRST_YEAR || time.getYear() > LAST_YEAR)) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "invalid-time",
          name + " 超出范围（公元 1 至 9999 年）/ " + name + " is out of range (years 1 to 9999): " + time);
    }
  }

  private static Filter filter(
      UUID member,
      String sourceRecord,
      OffsetDateTime from,
      OffsetDateTime to,
      String actor,
      MergeAction action) {
    List<String> conditions = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    if (member != null) {
      conditions.add("member_ids @> array[?::uuid]");
      args.add(member.toString());
    }
    if (sourceRecord != null && !sourceRecord.isBlank()) {
      conditions.add("source_records @> array[?::text]");
      args.add(sourceRecord.trim());
    }
    inRange("from", from);
    inRange("to", to);
    if (from != null) {
      conditions.add("at >= ?");
      args.add(Timestamp.from(from.toInstant()));
    }
    if (to != null) {
      conditions.add("at < ?");
      args.add(Timestamp.from(to.toInstant()));
    }
    if (actor != null && !actor.isBlank()) {
      conditions.add("actor = ?");
      args.add(actor.trim());
    }
    if (action != null) {
      conditions.add("action = ?");
      args.add(action.getValue());
    }
    return new Filter(conditions.isEmpty() ? "true" : String.join(" and ", conditions), args);
  }

  @Override
  @Transactional(readOnly = true)
  public ResponseEntity<MergeLogPage> listMergeLog(
      UUID member,
      String sourceRecord,
      OffsetDateTime from,
      OffsetDateTime to,
      String actor,
      MergeAction action,
      Long after,
      Integer limit) {
    int pageSize = limit == null ? 100 : limit;
    mergeLog.seal();
    Filter f = filter(member, sourceRecord, from, to, actor, action);
    List<Object> args = new ArrayList<>(f.args());
    args.add(after == null ? 0 : after);
    args.add(pageSize + 1);
    List<MergeLogEntry> rows =
        jdbc.query(
            "select * from merge_log_chained where "
                + f.where()
                + " and seq > ? order by seq limit ?",
            (rs, i) -> view(MergeLog.read(rs)),
            args.toArray());
    MergeLogPage page = new MergeLogPage().items(rows.subList(0, Math.min(pageSize, rows.size())));
    if (rows.size() > pageSize) {
      page.next(rows.get(pageSize - 1).getSeq());
    }
    return ResponseEntity.ok(page);
  }

  @Override
  @Transactional(readOnly = true)
  public ResponseEntity<Resource> exportMergeLog(
      UUID member,
      String sourceRecord,
      OffsetDateTime from,
      OffsetDateTime to,
      String actor,
      MergeAction action) {
    mergeLog.seal();
    Filter f = filter(member, sourceRecord, from, to, actor, action);
    try {
      // written to a temporary file, not memory: an auditor may export millions of entries
      Path tmp = Files.createTempFile("merge-log-", ".csv");
      try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        out.write('\ufeff'); // Excel reads UTF-8 only with a BOM
        CSVPrinter csv =
            CSVFormat.DEFAULT
                .builder()
                .setHeader(
                    "seq",
                    "at",
                    "action",
                    "member_ids",
                    "source_records",
                    "actor",
                    "evidence",
                    "prev_hash",
                    "hash",
                    "attestation",
                    "db_role")
                .get()
                .print(out);
        jdbc.query(
            con -> {
              var ps =
                  con.prepareStatement(
                      "select * from merge_log_chained where " + f.where() + " order by seq");
              ps.setFetchSize(2_000);
              for (int i = 0; i < f.args().size(); i++) {
                ps.setObject(i + 1, f.args().get(i));
              }
              return ps;
            },
            rs -> {
              var e = MergeLog.read(rs);
              try {
                csv.printRecord(
                    e.seq(),
                    e.at(),
                    e.action(),
                    String.join(" ", e.memberIds().stream().map(UUID::toString).toList()),
                    ExportCells.neutral(String.join(" ", e.sourceRecords())),
                    ExportCells.neutral(e.actor()),
                    e.evidence(),
                    e.prevHash(),
                    e.hash(),
                    e.attestation(),
                    e.dbRole());
              } catch (IOException ex) {
                throw new UncheckedIOException(ex);
              }
            });
        csv.flush();
      }
      return ResponseEntity.ok()
          .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
          .header("Content-Disposition", "attachment; filename=\"merge-log.csv\"")
          .body(
              new InputStreamResource(
                  Files.newInputStream(tmp, StandardOpenOption.DELETE_ON_CLOSE)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  @Transactional(readOnly = true)
  public ResponseEntity<MergeLogVerification> verifyMergeLog() {
    MergeLogCheckpoints.Checked checked = checkpoints.verify();
    MergeLog.Verification v = checked.verification();
    return ResponseEntity.ok(
        new MergeLogVerification()
            .ok(checked.ok())
            .entries(v.entries())
            .firstBadSeq(v.firstBadSeq())
            .firstBadPosition(v.firstBadPosition())
            .problem(checked.problem())
            .checkpointsChecked(v.anchorsChecked())
            .latestCheckpoint(
                checked.reading().latest().map(MergeLogController::view).orElse(null)));
  }

  @Override
  public ResponseEntity<com.onemember.api.model.MergeLogCheckpoint> createMergeLogCheckpoint() {
    try {
      return checkpoints
          .write(true)
          .map(c -> ResponseEntity.status(HttpStatus.CREATED).body(view(c)))
          .orElseThrow(
              () ->
                  new ApiProblem(
                      HttpStatus.CONFLICT,
                      "merge-log-empty",
                      "合并日志为空，无可签署的内容 / The merge log is empty: nothing to anchor yet"));
    } catch (MergeLogCheckpoints.ChainBroken broken) {
      throw new ApiProblem(HttpStatus.CONFLICT, "merge-log-broken", broken.getMessage());
    }
  }

  private static com.onemember.api.model.MergeLogCheckpoint view(MergeLogCheckpoints.Checkpoint c) {
    return new com.onemember.api.model.MergeLogCheckpoint()
        .position(c.position())
        .hash(c.hash())
        .at(c.at().atOffset(ZoneOffset.UTC))
        .keyId(c.key())
        .signature(c.signature());
  }

  private static MergeLogEntry view(com.onemember.mdm.audit.MergeLogEntry e) {
    return new MergeLogEntry()
        .seq(e.seq())
        .at(e.at().atOffset(ZoneOffset.UTC))
        .action(MergeAction.fromValue(e.action().name()))
        .memberIds(e.memberIds())
        .sourceRecords(e.sourceRecords())
        .actor(e.actor())
        .evidence(e.evidence())
        .prevHash(e.prevHash())
        .hash(e.hash());
  }
}
