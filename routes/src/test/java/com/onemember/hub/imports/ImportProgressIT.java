package com.onemember.hub.imports;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.onemember.api.client.model.ImportJob;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.MemberSheet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Progress of an import: counts, rate and ETA, and the same as server-sent events. */
class ImportProgressIT extends HubIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Enough rows for several seconds of a bulk load in chunks of 50 (HubIT). */
  private static final int ROWS = 3000;

  @Test
  void theProgressStreamCountsUpToTheWholeFileAndEndsWhenTheImportCompletes() throws Exception {
    MemberSheet sheet = aSheet("会员卡号", "姓名", "手机号", "生日");
    String[] surnames = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
    for (int i = 1; i <= ROWS; i++) {
      sheet.row(
          "77%05d".formatted(i),
          surnames[i % 10] + (char) ('嘉' + i % 200) + (char) ('文' + i / 200),
          "1370770%04d".formatted(i),
          "1991-%02d-%02d".formatted(1 + i % 12, 1 + i % 28));
    }
    // nothing in it identifies a person (no card, no name, no valid phone): the one rejected row
    sheet.row("", "", "12345", "");
    ImportJob job = upload("pos-store-77", "members.csv", sheet.gbkCsv());

    List<String> names = new ArrayList<>();
    List<JsonNode> events = new ArrayList<>();
    HttpResponse<java.io.InputStream> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(baseUrl() + "/api/v1/imports/" + job.getId() + "/progress"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Accept", "text/event-stream")
                    .timeout(Duration.ofSeconds(120))
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("event:")) {
          names.add(line.substring(6).trim());
        } else if (line.startsWith("data:")) {
          events.add(JSON.readTree(line.substring(5)));
        }
      }
    }
    assertThat(names).isNotEmpty();
    assertThat(names.get(names.size() - 1)).isEqualTo("completed");
    assertThat(names.subList(0, names.size() - 1)).allMatch("progress"::equals);
    int previous = -1;
    for (JsonNode e : events) {
      int processed = e.path("progress").path("processed").asInt();
      assertThat(processed).isGreaterThanOrEqualTo(previous);
      assertThat(e.path("progress").path("totalEstimate").asInt()).isEqualTo(ROWS + 1);
      previous = processed;
    }
    // the rows take a few seconds: on the way, a rate and the time left
    assertThat(events.subList(0, events.size() - 1))
        .anySatisfy(
            e -> {
              assertThat(e.path("progress").path("rowsPerSecond").asDouble()).isPositive();
              assertThat(e.path("progress").path("etaSeconds").asInt()).isPositive();
            });
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(last.path("progress").path("processed").asInt()).isEqualTo(ROWS + 1);
    assertThat(last.path("progress").path("rejected").asInt()).isEqualTo(1);
    assertThat(last.path("progress").path("warnings").isInt()).isTrue();
    assertThat(last.path("counts").path("warnings").asInt()).isZero();
    assertThat(
            last.path("progress").path("etaSeconds").isNull()
                || last.path("progress").path("etaSeconds").isMissingNode())
        .isTrue();

    // and the same figures from the plain GET
    ImportJob done = imports().getImport(job.getId());
    assertThat(done.getProgress().getProcessed()).isEqualTo(ROWS + 1);
    assertThat(done.getProgress().getRowsRead()).isEqualTo(ROWS + 1);

    HttpResponse<String> unknown =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            baseUrl() + "/api/v1/imports/" + UUID.randomUUID() + "/progress"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
  }
}
