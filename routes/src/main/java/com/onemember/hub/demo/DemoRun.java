package com.onemember.hub.demo;

import com.onemember.api.model.ImportJob;
import com.onemember.hub.imports.ImportReport;
import com.onemember.hub.imports.ImportService;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.SourceRecordRepository;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/** Imports the demo exports once the hub is ready and prints what came of them. */
@Component
@ConditionalOnProperty(name = "onemember.demo.enabled", havingValue = "true")
class DemoRun {

  private static final String DEMO = "onemember-demo/";
  private static final Duration PATIENCE = Duration.ofMinutes(5);

  private final ImportService imports;
  private final ImportReport report;
  private final SourceRecordRepository records;
  private final MemberRepository members;
  private final Environment environment;
  private final org.springframework.jdbc.core.JdbcTemplate jdbc;

  DemoRun(
      ImportService imports,
      ImportReport report,
      SourceRecordRepository records,
      MemberRepository members,
      Environment environment,
      org.springframework.jdbc.core.JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    this.imports = imports;
    this.report = report;
    this.records = records;
    this.members = members;
    this.environment = environment;
  }

  @EventListener(ApplicationReadyEvent.class)
  void run() throws IOException, InterruptedException {
    long readyMillis =
        System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    Properties sources = new Properties();
    try (InputStream in = new ClassPathResource(DEMO + "sources.properties").getInputStream()) {
      sources.load(in);
    }
    List<UUID> started = new ArrayList<>();
    for (String file : new java.util.TreeSet<>(sources.stringPropertyNames())) {
      byte[] content;
      try (InputStream in = new ClassPathResource(DEMO + file).getInputStream()) {
        content = in.readAllBytes();
      }
      started.add(imports.start(sources.getProperty(file), file, content));
    }
    List<ImportJob> done = new ArrayList<>();
    Instant deadline = Instant.now().plus(PATIENCE);
    for (UUID id : started) {
      ImportJob job = report.status(id);
      while (ImportReport.inFlight(job) && Instant.now().isBefore(deadline)) {
        Thread.sleep(200);
        job = report.status(id);
      }
      done.add(job);
    }
    int rows = done.stream().mapToInt(j -> j.getCounts().getRows()).sum();
    int rejected = done.stream().mapToInt(j -> j.getCounts().getRejected()).sum();
    int warned = done.stream().mapToInt(j -> j.getCounts().getWarnings()).sum();
    long recordsIn = records.count();
    long membersOut = members.countLive();
    String base = "http://localhost:" + environment.getProperty("local.server.port", "8080");
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%nOneMember demo: %d rows in %d files, %d rejected, %d kept with warnings; %d source"
                + " records in, %d members out, %d merges (hub ready in %.1f s)%n",
            rows,
            done.size(),
            rejected,
            warned,
            recordsIn,
            membersOut,
            recordsIn - membersOut,
            readyMillis / 1000.0));
    out.append("  健康 / health:        ").append(base).append("/actuator/health\n");
    for (ImportJob job : done) {
      out.append("  导入 / import report: ")
          .append(base)
          .append("/api/v1/imports/")
          .append(job.getId())
          .append("/rows   (")
          .append(job.getFileName())
          .append(")\n");
    }
    out.append("  会员 / find a member: ").append(base).append("/api/v1/members?phone=13916882345\n");
    Long reviews =
        jdbc.queryForObject("select count(*) from match_review where status = 'OPEN'", Long.class);
    out.append("  复核 / to review:     ")
        .append(base)
        .append("/api/v1/reviews   (")
        .append(reviews)
        .append(" pairs left to a data steward)\n");
    out.append("  控制台 / console:     ")
        .append(base)
        .append("/console   (log in with the admin token below)\n");
    out.append("  接口 / API contract:  ").append(base).append("/api/v1/openapi.yaml\n");
    out.append(
        "  令牌 / token:         Authorization: Bearer $ONEMEMBER_ADMIN_TOKEN"
            + " (or the one kept in ./data/admin-token)\n");
    System.out.println(out);
  }
}
