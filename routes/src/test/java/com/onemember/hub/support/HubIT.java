package com.onemember.hub.support;

import com.onemember.OneMemberHub;
import com.onemember.api.client.ImportsApi;
import com.onemember.api.client.invoker.ApiClient;
import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.ImportJob;
import com.onemember.api.client.model.ImportStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the hub's integration tests: the whole application on a random port, talking to a real
 * PostgreSQL and a real Artemis broker over TCP, called over HTTP through the client generated from
 * the OpenAPI contract. All test classes share one application context and one database, so each
 * test uses its own sources and phone numbers.
 */
@SpringBootTest(
    classes = OneMemberHub.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class HubIT {

  /** The admin token the hub under test is started with. */
  protected static final String TOKEN = "it-admin-token-7c41e0";

  @Value("${local.server.port}")
  protected int port;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    HubInfrastructure infra = HubInfrastructure.get();
    infra.hubProperties("hub").forEach((name, value) -> registry.add(name, () -> value));
    registry.add("onemember.security.admin-token", () -> TOKEN);
    registry.add("onemember.imports.max-file-size", () -> "256KB");
    // small, so that a workbook over the limit fits under the upload size (ImportPreviewIT)
    registry.add("onemember.imports.max-rows", () -> "5000");
    // imports of a few hundred rows still cross chunks: progress moves on the way, and the bulk
    // load's hand-over from one chunk to the next is exercised by every import test
    registry.add("onemember.ingest.chunk-rows", () -> "50");
    registry.add("onemember.connectors.dir", () -> infra.connectorsDir().toString());
    // the shared test database holds a few thousand records at most: let MatchModelsIT train on
    // them
    registry.add("onemember.match.train-min-records", () -> "1");
    registry.add("onemember.imports.drop-folder", () -> infra.dataDir().resolve("drop").toString());
    // TagsIT sweeps by hand, at a date of its choosing; no timed sweep during the tests
    registry.add("onemember.tags.sweep-period", () -> "1000d");
    // tests sweep at the times they choose: a sweep at the clock's time ten minutes into a long
    // suite undid TagsIT's sweep into the future between its two checks
    registry.add("onemember.tags.sweep-delay", () -> "1000d");
    // the merge log anchored outside the database every second the chain moved (MergeLogIT)
    registry.add("onemember.merge-log.checkpoint-period", () -> "1s");
    // two consuming systems with webhooks (OutboundIT): a CRM and the stores' POS
    WebhookReceivers receivers = WebhookReceivers.get();
    String[][] systems = {{"crm", "crm-*"}, {"pos", "pos-*"}};
    for (int i = 0; i < systems.length; i++) {
      String name = systems[i][0];
      String own = systems[i][1];
      String prefix = "onemember.outbound.webhooks[" + i + "].";
      registry.add(prefix + "name", () -> name);
      registry.add(prefix + "url", () -> receivers.url(name));
      registry.add(prefix + "secret", () -> receivers.receiver(name).secret());
      registry.add(prefix + "sources[0]", () -> own);
      registry.add(prefix + "max-attempts", () -> "3");
      registry.add(prefix + "initial-backoff", () -> "50ms");
      registry.add(prefix + "max-backoff", () -> "200ms");
      registry.add(prefix + "timeout", () -> "2s");
    }
    // the stores' POS may hold customers' mobiles, nothing else of their personal data
    registry.add("onemember.outbound.webhooks[1].grants[0]", () -> "mobile");
  }

  /**
   * A new token named {@code name} with {@code role} (speaking for {@code system}, for a system
   * token), made by the admin through the API; answers its secret.
   */
  protected String token(String name, String role, String system) {
    try {
      return new com.onemember.api.client.TokensApi(apiClient())
          .createToken(
              new com.onemember.api.client.model.TokenRequest()
                  .name(name)
                  .role(com.onemember.api.client.model.Role.fromValue(role))
                  .system(system))
          .getToken();
    } catch (ApiException e) {
      throw new IllegalStateException(
          "the admin could not make token " + name + ": " + e.getCode() + " " + e.getResponseBody(),
          e);
    }
  }

  /** A new token named {@code name} with a person's {@code role}. */
  protected String token(String name, String role) {
    return token(name, role, null);
  }

  /** {@code n} random digits, for phone numbers no other test uses. */
  protected static String digits(int n) {
    StringBuilder b = new StringBuilder();
    var r = java.util.concurrent.ThreadLocalRandom.current();
    for (int i = 0; i < n; i++) {
      b.append(r.nextInt(10));
    }
    return b.toString();
  }

  protected String baseUrl() {
    return "http://localhost:" + port;
  }

  /** A client as a consuming system would build it from the generated code. */
  protected ApiClient apiClient() {
    ApiClient client = new ApiClient();
    client.updateBaseUri(baseUrl());
    client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + TOKEN));
    return client;
  }

  protected ImportsApi imports() {
    return new ImportsApi(apiClient());
  }

  protected com.onemember.api.client.ReviewsApi reviews() {
    return new com.onemember.api.client.ReviewsApi(apiClient());
  }

  /** Every event of the change feed after {@code position}, all pages. */
  protected java.util.List<com.onemember.api.client.model.GoldenEvent> changesAfter(long position)
      throws ApiException {
    java.util.List<com.onemember.api.client.model.GoldenEvent> all = new java.util.ArrayList<>();
    String at = Long.toString(position);
    while (true) {
      var page = new com.onemember.api.client.OutboundApi(apiClient()).listChanges(at, 1000);
      if (page.getItems().isEmpty()) {
        return all;
      }
      all.addAll(page.getItems());
      at = page.getNext();
    }
  }

  /** The position of the last event in the change feed now (0 for none). */
  protected long lastChangePosition() throws ApiException {
    long at = 0;
    while (true) {
      var page =
          new com.onemember.api.client.OutboundApi(apiClient())
              .listChanges(Long.toString(at), 1000);
      if (page.getItems().isEmpty()) {
        return at;
      }
      at = Long.parseLong(page.getNext());
    }
  }

  /** The drop folder the hub under test watches (DropFolderIT). */
  protected static Path dropFolder() {
    return HubInfrastructure.get().dataDir().resolve("drop");
  }

  /** Waits until exactly one member has {@code phone}, and returns it. */
  protected com.onemember.api.client.model.Member awaitOneMember(String phone) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                org.assertj.core.api.Assertions.assertThat(members().findMembers(phone).getItems())
                    .hasSize(1));
    try {
      return members().findMembers(phone).getItems().get(0);
    } catch (ApiException e) {
      throw new IllegalStateException(e);
    }
  }

  protected MembersClient members() {
    return new MembersClient(apiClient());
  }

  /** Uploads {@code content} as a file called {@code fileName} from {@code source}. */
  protected ImportJob upload(String source, String fileName, byte[] content) throws ApiException {
    return imports().createImport(file(fileName, content), source, null);
  }

  /**
   * Uploads as a browser or curl does, every part in UTF-8 (the generated client sends text parts
   * as ASCII, so Chinese sheet or file names need this): returns the status and the body.
   */
  protected java.net.http.HttpResponse<String> uploadAsBrowser(
      String fileName, byte[] content, java.util.Map<String, String> fields) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            browserUpload(baseUrl(), fileName, content, fields),
            java.net.http.HttpResponse.BodyHandlers.ofString(
                java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The multipart POST /api/v1/imports a browser or curl sends to the hub at {@code baseUrl}. */
  protected static java.net.http.HttpRequest browserUpload(
      String baseUrl, String fileName, byte[] content, java.util.Map<String, String> fields)
      throws IOException {
    String boundary = "----onemember" + UUID.randomUUID();
    var body = new java.io.ByteArrayOutputStream();
    for (var field : fields.entrySet()) {
      body.write(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + field.getKey()
                  + "\"\r\n\r\n"
                  + field.getValue()
                  + "\r\n")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    body.write(content);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl + "/api/v1/imports"))
        .header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
        .build();
  }

  /** Uploads and waits until every row has been matched. */
  protected ImportJob importAndWait(String source, String fileName, byte[] content)
      throws ApiException {
    return awaitCompleted(upload(source, fileName, content).getId());
  }

  protected ImportJob awaitCompleted(UUID id) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> imports().getImport(id), job -> job.getStatus() == ImportStatus.COMPLETED);
  }

  protected static java.io.File file(String fileName, byte[] content) {
    try {
      Path dir = Files.createTempDirectory("upload-");
      Path file = dir.resolve(fileName);
      Files.write(file, content);
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return file.toFile();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
