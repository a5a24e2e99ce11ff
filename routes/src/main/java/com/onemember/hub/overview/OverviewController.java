package com.onemember.hub.overview;

import com.onemember.api.model.ConnectorState;
import com.onemember.api.model.Overview;
import com.onemember.api.model.SourceSeries;
import com.onemember.api.server.OverviewApi;
import com.onemember.hub.api.ApiProblem;
import com.onemember.hub.connectors.ConnectorStates;
import com.onemember.hub.imports.ImportReport;
import com.onemember.hub.outbound.DeadLetters;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/overview}: counts as they stand and daily series, each one statement over
 * indexed columns (the received time of source records by a BRIN index, which costs an import
 * almost nothing), all in one read-only transaction so the numbers agree with each other.
 */
@RestController
class OverviewController implements OverviewApi {

  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final DeadLetters deadLetters;
  private final ImportReport imports;
  private final ConnectorStates connectors;

  OverviewController(
      JdbcTemplate jdbc,
      Clock clock,
      DeadLetters deadLetters,
      ImportReport imports,
      ConnectorStates connectors) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.deadLetters = deadLetters;
    this.imports = imports;
    this.connectors = connectors;
  }

  @Override
  @Transactional(readOnly = true)
  public ResponseEntity<Overview> getOverview(Integer days, String zone) {
    int n = days == null ? 14 : days;
    ZoneId tz = zone(zone);
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, tz);
    List<LocalDate> dates = new ArrayList<>();
    for (int i = n - 1; i >= 0; i--) {
      dates.add(today.minusDays(i));
    }
    Timestamp since = Timestamp.from(dates.get(0).atStartOfDay(tz).toInstant());
    Timestamp todayStart = Timestamp.from(today.atStartOfDay(tz).toInstant());
    Overview out =
        new Overview()
            .members(
                count(
                    "select count(*) from member where merged_into is null and erased_at is null"
                        + " and withdrawn_at is null"))
            .sourceRecords(count("select count(*) from source_record"))
            .openReviews(count("select count(*) from match_review where status = 'OPEN'"))
            .importsRunning((int) imports.running())
            .connectorsFailing((int) connectors.count(ConnectorState.FAILING))
            .deadLetters(
                deadLetters.waitingByConsumer().values().stream()
                    .mapToLong(DeadLetters.Waiting::count)
                    .sum())
            .mergesToday(count("select count(*) from (" + MERGES + " and at >= ?) m", todayStart))
            .days(dates);
    String day = "((%s) at time zone ?)::date";
    // records first received per source and day
    Map<String, long[]> bySource = new LinkedHashMap<>();
    jdbc.query(
        "select source, "
            + day.formatted("received_at")
            + ", count(*) from source_record where received_at >= ? group by 1, 2 order by 1, 2",
        rs -> {
          long[] counts = bySource.computeIfAbsent(rs.getString(1), s -> new long[n]);
          int at = dates.indexOf(rs.getObject(2, LocalDate.class));
          if (at >= 0) {
            counts[at] = rs.getLong(3);
          }
        },
        tz.getId(),
        since);
    bySource.forEach(
        (source, counts) ->
            out.addRecordsInItem(
                new SourceSeries()
                    .source(source)
                    .counts(java.util.Arrays.stream(counts).boxed().toList())));
    out.recordsIn(out.getRecordsIn() == null ? new ArrayList<>() : out.getRecordsIn());
    long[] merges = new long[n];
    jdbc.query(
        "select "
            + day.formatted("at")
            + ", count(*) from ("
            + MERGES
            + " and at >= ?) m group by 1",
        rs -> {
          int at = dates.indexOf(rs.getObject(1, LocalDate.class));
          if (at >= 0) {
            merges[at] = rs.getLong(2);
          }
        },
        tz.getId(),
        since);
    out.merges(java.util.Arrays.stream(merges).boxed().toList());
    // open reviews at the end of each day; the end of today is now
    List<Timestamp> ends = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ends.add(
          i == n - 1
              ? Timestamp.from(now)
              : Timestamp.from(dates.get(i).plusDays(1).atStartOfDay(tz).toInstant()));
    }
    List<Long> backlog =
        jdbc.query(
            """
            select (select count(*) from match_review v
                     where v.created_at < e and (v.status = 'OPEN' or v.decided_at >= e))
              from unnest(?::timestamptz[]) with ordinality as t(e, i) order by i""",
            (rs, i) -> rs.getLong(1),
            (Object) ends.toArray(new Timestamp[0]));
    out.reviewBacklog(backlog);
    return ResponseEntity.ok(out);
  }

  /** Merge-log entries that merged members: by the matcher, by hand, or a review found SAME. */
  private static final String MERGES =
      """
      select at from merge_log
       where (action in ('MERGE', 'MANUAL_MERGE')
              or (action = 'REVIEW_DECISION' and evidence::jsonb ->> 'decision' = 'SAME'))""";

  private long count(String sql, Object... args) {
    Long n = jdbc.queryForObject(sql, Long.class, args);
    return n == null ? 0 : n;
  }

  private ZoneId zone(String zone) {
    if (zone == null || zone.isBlank()) {
      return ZoneId.systemDefault();
    }
    try {
      return ZoneId.of(zone.strip());
    } catch (DateTimeException e) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "bad-zone",
          "未知时区 "
              + zone
              + "，请用 IANA 名称如 Asia/Shanghai / unknown time zone "
              + zone
              + ": use an IANA name such as Asia/Shanghai");
    }
  }
}
