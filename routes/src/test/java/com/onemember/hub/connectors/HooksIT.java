package com.onemember.hub.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.api.client.ConnectorsApi;
import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.Member;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.HubInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A retailer's own web shop pushing members to {@code /hooks/site-push-it} over HTTP, signed as the
 * {@code custom-webhook} kind requires: pushes are answered at once and become members, a push with
 * only the changed fields completes the record, a deletion withdraws it, and every request the hub
 * does not take is answered with why.
 */
class HooksIT extends HubIT {

  private static final String HOOK = "site-push-it";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void pushedMembersBecomeMembersAPartialPushCompletesTheRecordAndADeletionWithdrawsIt()
      throws Exception {
    HttpResponse<String> answer =
        push(
            """
            {"members": [
              {"id": "U27001", "name": "诸葛明月", "mobile": "152 7001 0001",
               "gender": "女", "address": {"province": "浙江", "city": "杭州", "line": "文三路 90 号"},
               "level": "金卡", "updatedAt": "2026-12-06T10:00:00+08:00"},
              {"id": "U27002", "mobile": "15270010002", "wechat": {"openid": "oX9a-27002"}},
              {"name": "没有编号"}
            ]}""");
    assertThat(answer.statusCode()).isEqualTo(202);

    Member mingyue = awaitOneMember("15270010001");
    // an openid without its app id is kept, scoped to this connector: the person is not dropped
    awaitOneMember("15270010002");
    assertThat(mingyue.getName()).isEqualTo("诸葛明月");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(connectors().listConnectorRejections(HOOK, null, 50).getItems())
                    .anySatisfy(
                        r -> assertThat(r.getReason()).contains("the pushed record has no id")));

    // the shop sends only what changed: the e-mail; name, phone and address stay
    assertThat(
            push("{\"id\": \"U27001\", \"email\": \"zgmy@163.com\", \"level\": null}").statusCode())
        .isEqualTo(202);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(members().getMember(mingyue.getId()).getSourceRecords())
                    .singleElement()
                    .satisfies(r -> assertThat(r.getRaw()).containsKey("email")));
    Member after = members().getMember(mingyue.getId());
    assertThat(after.getId()).isEqualTo(mingyue.getId());
    assertThat(after.getName()).isEqualTo("诸葛明月");
    assertThat(after.getSourceRecords())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getRaw())
                  .containsEntry("email", "zgmy@163.com")
                  .containsEntry("mobile", "152 7001 0001")
                  .containsEntry("address.city", "杭州")
                  .doesNotContainKey("level");
            });

    assertThat(push("{\"id\": \"U27001\", \"deleted\": true}").statusCode()).isEqualTo(202);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(members().findMembers("15270010001").getItems()).isEmpty());
    assertThat(connectors().listConnectorRuns(HOOK, null, 50).getItems())
        .anySatisfy(r -> assertThat(r.getRecordsWithdrawn()).isEqualTo(1))
        .anySatisfy(
            r -> {
              assertThat(r.getRecordsRead()).isEqualTo(3);
              assertThat(r.getRecordsQueued()).isEqualTo(2);
              assertThat(r.getRecordsRejected()).isEqualTo(1);
            });
    assertThat(find().getPosition()).startsWith("last push at ");
  }

  @Test
  void requestsTheHubDoesNotTakeAreAnsweredWithWhy() throws Exception {
    String body = "{\"id\": \"U27009\", \"mobile\": \"15270010009\"}";
    long now = Instant.now().getEpochSecond();

    HttpResponse<String> unsigned = send(HOOK, body, null, null);
    assertThat(unsigned.statusCode()).isEqualTo(401);
    assertThat(unsigned.body()).contains("the request is not signed");

    HttpResponse<String> wrongKey =
        send(HOOK, body, Long.toString(now), "sha256=" + hmac("not-the-secret-at-all", now, body));
    assertThat(wrongKey.statusCode()).isEqualTo(401);
    assertThat(wrongKey.body()).contains("the signature does not match");

    // a request captured an hour ago and played again
    long old = now - 3600;
    HttpResponse<String> replayed =
        send(
            HOOK,
            body,
            Long.toString(old),
            "sha256=" + hmac(HubInfrastructure.SITE_SECRET, old, body));
    assertThat(replayed.statusCode()).isEqualTo(401);
    assertThat(replayed.body()).contains("away from the hub's clock");

    // signed, but the body was changed on the way
    HttpResponse<String> tampered =
        send(
            HOOK,
            body.replace("09\"", "08\""),
            Long.toString(now),
            "sha256=" + hmac(HubInfrastructure.SITE_SECRET, now, body));
    assertThat(tampered.statusCode()).isEqualTo(401);

    HttpResponse<String> notJson = push("name=林晓&mobile=15270010009");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("the body is not JSON");

    HttpResponse<String> unknown = send("no-such-shop", body, Long.toString(now), "sha256=00");
    assertThat(unknown.statusCode()).isEqualTo(404);
    // a polled connector takes no pushes
    assertThat(send("pos-unicenta-it", body, Long.toString(now), "sha256=00").statusCode())
        .isEqualTo(404);

    // nothing of the refused requests reached the hub
    assertThat(members().findMembers("15270010009").getItems()).isEmpty();

    // a pushed connector has nothing to poll
    try {
      connectors().runConnector(HOOK);
      throw new AssertionError("a push connector was run");
    } catch (ApiException e) {
      assertThat(e.getCode()).isEqualTo(409);
      assertThat(e.getResponseBody()).contains("nothing to poll");
    }
  }

  @Test
  void aPausedConnectorAsksTheSenderToComeBackAndTakesThePushOnceResumed() throws Exception {
    connectors().pauseConnector(HOOK);
    try {
      HttpResponse<String> paused = push("{\"id\": \"U27011\", \"mobile\": \"15270010011\"}");
      assertThat(paused.statusCode()).isEqualTo(503);
      assertThat(paused.headers().firstValue("Retry-After")).contains("60");
    } finally {
      connectors().resumeConnector(HOOK);
    }
    assertThat(push("{\"id\": \"U27011\", \"mobile\": \"15270010011\"}").statusCode())
        .isEqualTo(202);
    awaitOneMember("15270010011");
  }

  @Test
  void theSameSignedRequestSentAgainIsTakenOnce() throws Exception {
    String body = "{\"id\": \"U27021\", \"name\": \"公孙丽\", \"mobile\": \"15270010021\"}";
    long now = Instant.now().getEpochSecond();
    String signature = "sha256=" + hmac(HubInfrastructure.SITE_SECRET, now, body);
    int runsBefore = connectors().listConnectorRuns(HOOK, null, 200).getItems().size();

    HttpResponse<String> first = send(HOOK, body, Long.toString(now), signature);
    // the same request again: the shop did not hear the answer, or someone captured and replays it
    HttpResponse<String> again = send(HOOK, body, Long.toString(now), signature);
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(202);
    awaitOneMember("15270010021");
    // a new push, signed anew, is taken as well
    assertThat(push("{\"id\": \"U27021\", \"email\": \"gsl@qq.com\"}").statusCode()).isEqualTo(202);

    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(connectors().listConnectorRuns(HOOK, null, 200).getItems())
                    .hasSize(runsBefore + 2));
    Thread.sleep(1000);
    assertThat(connectors().listConnectorRuns(HOOK, null, 200).getItems()).hasSize(runsBefore + 2);
  }

  @Test
  void aPushCreatedAndDeletedInOneRequestEndsWithdrawnAndANullClearsNestedFields()
      throws Exception {
    assertThat(
            push("""
                    {"members": [
                      {"id": "U27031", "name": "尉迟芳", "mobile": "15270010031"},
                      {"id": "U27031", "deleted": true}
                    ]}""")
                .statusCode())
        .isEqualTo(202);
    assertThat(
            push("""
                    {"id": "U27032", "name": "长孙琳", "mobile": "15270010032",
                     "wechat": {"appid": "wx5f2a09", "openid": "oX9a-27032", "unionid": "uZk-27032"}}""")
                .statusCode())
        .isEqualTo(202);
    Member lin = awaitOneMember("15270010032");
    assertThat(push("{\"id\": \"U27032\", \"wechat\": null}").statusCode()).isEqualTo(202);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(members().getMember(lin.getId()).getSourceRecords())
                    .singleElement()
                    .satisfies(
                        r ->
                            assertThat(r.getRaw().keySet())
                                .noneMatch(k -> k.startsWith("wechat"))));
    // the deletion came after the creation, in its turn: nobody stays with that number
    assertThat(members().findMembers("15270010031").getItems()).isEmpty();
  }

  @Test
  void aPushOverOneMegabyteIsRefusedWithWhy() throws Exception {
    String big = "{\"id\": \"U27041\", \"note\": \"" + "很".repeat(400_000) + "\"}";
    HttpResponse<String> answer = push(big);
    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(answer.body()).contains("larger than 1 MB");
  }

  private HttpResponse<String> push(String body) throws Exception {
    long now = Instant.now().getEpochSecond();
    return send(
        HOOK, body, Long.toString(now), "sha256=" + hmac(HubInfrastructure.SITE_SECRET, now, body));
  }

  private HttpResponse<String> send(String hook, String body, String timestamp, String signature)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/hooks/" + hook))
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (timestamp != null) {
      request.header("X-OneMember-Timestamp", timestamp);
    }
    if (signature != null) {
      request.header("X-OneMember-Signature", signature);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** As the shop's own code signs: HMAC-SHA256 of "timestamp.body", in hex. */
  private static String hmac(String secret, long timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of()
        .formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  private com.onemember.api.client.model.Connector find() throws ApiException {
    return connectors().listConnectors().getItems().stream()
        .filter(c -> c.getId().equals(HOOK))
        .findFirst()
        .orElseThrow();
  }

  private ConnectorsApi connectors() {
    return new ConnectorsApi(apiClient());
  }
}
