package com.onemember.hub.privacy;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.hub.support.HubIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Personal data by role: an auditor and a steward see a member's phone, e-mail, birthday, address
 * and the phones in its raw cells masked, and the name whole; a reveal with a reason shows them and
 * is logged; an admin's unmasked read is logged too; the auditor reads the access log.
 */
class PersonalDataIT extends HubIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private String auditor;
  private String steward;

  @BeforeEach
  void tokens() throws Exception {
    auditor = token("pd-auditor-" + suffix, "auditor");
    steward = token("pd-steward-" + suffix, "steward");
  }

  private HttpResponse<String> send(String method, String path, String json, String token)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .header("Authorization", "Bearer " + token);
    if (json == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json, UTF_8));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  @Test
  void anAuditorSeesTheMemberMaskedRevealsItWithAReasonAndReadsWhoSawWhat() throws Exception {
    var job =
        importAndWait(
            "store-sh-70",
            "会员.csv",
            aSheet("姓名", "手机号", "邮箱", "生日", "地址", "备注")
                .row(
                    "陆毅",
                    "15290070001",
                    "luyi1976@163.com",
                    "1976-12-07",
                    "上海市静安区南京西路1266号恒隆广场",
                    "老客户，家里电话15290070002")
                .gbkCsv());
    UUID id = awaitOneMember("15290070001").getId();

    HttpResponse<String> masked = send("GET", "/api/v1/members/" + id, null, auditor);
    assertThat(masked.statusCode()).isEqualTo(200);
    assertThat(masked.body())
        .contains("陆毅")
        .contains("152****0001")
        .contains("l***@163.com")
        .contains("1976-**-**")
        .doesNotContain("15290070001")
        .doesNotContain("15290070002")
        .doesNotContain("luyi1976")
        .doesNotContain("1976-12-07")
        .doesNotContain("南京西路1266号");
    JsonNode member = JSON.readTree(masked.body());
    assertThat(member.path("name").asString()).isEqualTo("陆毅");
    assertThat(send("GET", "/api/v1/members?phone=15290070001", null, steward).body())
        .contains("陆毅")
        .doesNotContain("15290070001");
    assertThat(send("GET", "/api/v1/members/" + id + "/history", null, auditor).body())
        .doesNotContain("15290070001");

    // a reveal needs a reason, and is logged with it
    assertThat(
            send("POST", "/api/v1/members/" + id + "/reveal", "{\"reason\":\"\"}", auditor)
                .statusCode())
        .isEqualTo(400);
    HttpResponse<String> revealed =
        send(
            "POST",
            "/api/v1/members/" + id + "/reveal",
            "{\"reason\":\"顾客来电核对手机号，工单 2026-1206-03\"}",
            auditor);
    assertThat(revealed.statusCode()).isEqualTo(200);
    assertThat(revealed.body()).contains("15290070001").contains("luyi1976@163.com");

    // the admin sees it whole, and that is logged too
    assertThat(send("GET", "/api/v1/members/" + id, null, TOKEN).body()).contains("15290070001");

    // IT downloads the import's report, which gives the uploaded cells back: logged as a read
    assertThat(
            send("GET", "/api/v1/imports/" + job.getId() + "/report.xlsx", null, TOKEN)
                .statusCode())
        .isEqualTo(200);

    HttpResponse<String> log = send("GET", "/api/v1/access-log?member=" + id, null, auditor);
    assertThat(log.statusCode()).isEqualTo(200);
    JsonNode items = JSON.readTree(log.body()).path("items");
    assertThat(
            items
                .valueStream()
                .map(e -> e.path("action").asString() + " " + e.path("actor").asString()))
        .contains("REVEAL pd-auditor-" + suffix, "READ admin");
    assertThat(items.valueStream().map(e -> e.path("operation").asString()))
        .contains("revealMember", "getMember", "getImportReportXlsx");
    assertThat(log.body()).contains("工单 2026-1206-03").doesNotContain("15290070001");
    assertThat(send("GET", "/api/v1/access-log", null, steward).statusCode()).isEqualTo(403);

    // the change feed, read by a system's token, carries what that system is granted: the POS
    // (granted mobiles) no e-mail or birthday; a system with no grants configured, nothing personal
    String posToken = token("pd-pos-" + suffix, "system", "pos");
    JsonNode forPos = eventOf(id, posToken);
    assertThat(forPos.toString())
        .contains("15290070001")
        .doesNotContain("luyi1976@163.com")
        .doesNotContain("1976-12-07")
        .doesNotContain("\"raw\"");
    String otherToken = token("pd-other-" + suffix, "system", "loyalty-app");
    assertThat(eventOf(id, otherToken).toString())
        .doesNotContain("15290070001")
        .doesNotContain("luyi1976@163.com")
        .doesNotContain("1976-12-07")
        .contains("陆毅");
  }

  /** The member's first event in the change feed, as {@code token} reads it. */
  private JsonNode eventOf(UUID member, String token) throws Exception {
    String after = "";
    for (int page = 0; page < 500; page++) {
      JsonNode changes =
          JSON.readTree(send("GET", "/api/v1/changes?limit=200" + after, null, token).body());
      for (JsonNode e : changes.path("items")) {
        if (e.path("memberId").asString().equals(member.toString())) {
          return e;
        }
      }
      if (changes.path("items").isEmpty()) {
        break;
      }
      after = "&after=" + changes.path("next").asString();
    }
    throw new AssertionError("no event of member " + member + " in the change feed");
  }
}
