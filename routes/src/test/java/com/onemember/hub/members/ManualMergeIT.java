package com.onemember.hub.members;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.api.client.AuditApi;
import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.ManualMergeRequest;
import com.onemember.api.client.model.Member;
import com.onemember.api.client.model.MergeAction;
import com.onemember.api.client.model.MergeLogEntry;
import com.onemember.hub.support.HubIT;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** A steward merges two members by hand; the log says who and why; separations are respected. */
class ManualMergeIT extends HubIT {

  @Autowired JdbcTemplate jdbc;

  @Test
  void twoMembersMergeByHandWithTheReasonInTheLog() throws Exception {
    UUID byPhone = importOne("pos-store-91", "钱多多", "13809100001", null);
    UUID byEmail = importOne("web-shop-91", "钱多多", null, "qianduoduo91@qq.com");
    assertThat(byPhone).isNotEqualTo(byEmail);

    Member survivor =
        members()
            .mergeMembers(
                byEmail,
                new ManualMergeRequest()
                    .otherMemberId(byPhone)
                    .reason("同一位顾客，电话与邮箱都在会员卡上 / one customer, both on her card"));

    assertThat(survivor.getId()).isIn(byPhone, byEmail);
    assertThat(survivor.getSourceRecords()).hasSize(2);
    UUID absorbed = survivor.getId().equals(byPhone) ? byEmail : byPhone;
    assertThat(members().getMember(absorbed).getId()).isEqualTo(survivor.getId());
    List<MergeLogEntry> log =
        new AuditApi(apiClient())
            .listMergeLog(
                survivor.getId(), null, null, null, null, MergeAction.MANUAL_MERGE, null, 10)
            .getItems();
    assertThat(log)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getMemberIds()).containsExactly(survivor.getId(), absorbed);
              assertThat(e.getEvidence()).contains("both on her card");
              assertThat(e.getActor()).isNotEqualTo("matcher");
              assertThat(e.getSourceRecords()).hasSize(2);
            });
  }

  @Test
  void aMembersHistoryListsEveryVersionWithWhatChangedAndWhy() throws Exception {
    importAndWait(
        "pos-store-94",
        "pos.csv",
        aSheet("会员卡号", "姓名", "手机号").row("9400001", "周芷若", "13809400001").gbkCsv());
    UUID member = members().findMembers("13809400001").getItems().get(0).getId();
    // the POS sends the card again with a birthday filled in
    importAndWait(
        "pos-store-94",
        "pos-2.csv",
        aSheet("会员卡号", "姓名", "手机号", "生日")
            .row("9400001", "周芷若", "13809400001", "1990-04-12")
            .gbkCsv());
    UUID other = importOne("web-shop-94", "周芷若", null, "zhouzhiruo94@163.com");
    members()
        .mergeMembers(member, new ManualMergeRequest().otherMemberId(other).reason("同一人 / same"));

    var history = members().getMemberHistory(other).getVersions();
    UUID survivor = members().getMember(other).getId();
    assertThat(members().getMemberHistory(other).getMemberId()).isEqualTo(survivor);
    assertThat(history).extracting(v -> v.getVersion()).containsExactly(1L, 2L, 3L);
    assertThat(history.get(0).getCause()).contains("started a new member");
    assertThat(history.get(0).getChanges())
        .anySatisfy(c -> assertThat(c.getAttribute()).isEqualTo("name"));
    assertThat(history.get(1).getCause()).contains("pos-store-94:").contains("changed");
    assertThat(history.get(1).getChanges())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getAttribute()).isEqualTo("birthday");
              assertThat(c.getBefore()).isNull();
              assertThat(c.getAfter()).isEqualTo("1990-04-12");
            });
    assertThat(history.get(2).getCause()).contains("merged by hand");
    assertThat(history.get(2).getChanges())
        .anySatisfy(
            c -> {
              assertThat(c.getAttribute()).isEqualTo("identifiers");
              assertThat(c.getAfter()).contains("zhouzhiruo94@163.com");
            });
  }

  @Test
  void membersDeclaredDifferentAreNotMergedByHandAndBadRequestsSayWhy() throws Exception {
    UUID a = importOne("pos-store-92", "赵小满", "13809200001", null);
    UUID b = importOne("web-shop-92", "赵小满", null, "zhaoxiaoman92@qq.com");
    jdbc.update(
        "insert into member_separation (member_a, member_b, reason, actor, created_at)"
            + " values (least(?::uuid, ?::uuid), greatest(?::uuid, ?::uuid), 'twins', 'it', now())",
        a,
        b,
        a,
        b);

    assertThatThrownBy(
            () ->
                members().mergeMembers(a, new ManualMergeRequest().otherMemberId(b).reason("same")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThatThrownBy(
            () ->
                members()
                    .mergeMembers(
                        a, new ManualMergeRequest().otherMemberId(UUID.randomUUID()).reason("x")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    assertThatThrownBy(
            () -> members().mergeMembers(a, new ManualMergeRequest().otherMemberId(b).reason("")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(400));
  }

  @Test
  void aBodyThatIsNotJsonOrNamesAnUnknownValueIsRefusedWithAClearMessage() throws Exception {
    UUID a = importOne("pos-store-93", "孙小美", "13809300001", null);
    for (String body :
        new String[] {"合并他们", "{\"otherMemberId\": \"not-a-uuid\", \"reason\": \"x\"}"}) {
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(baseUrl() + "/api/v1/members/" + a + "/merge"))
                      .header("Authorization", "Bearer " + TOKEN)
                      .header("Content-Type", "application/json")
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(response.body()).contains("unreadable-body").contains("JSON");
    }
  }

  private UUID importOne(String source, String name, String phone, String email) throws Exception {
    importAndWait(
        source,
        "m.csv",
        aSheet("姓名", "手机号", "邮箱")
            .row(name, phone == null ? "" : phone, email == null ? "" : email)
            .utf8Csv());
    return jdbc.queryForObject(
        "select member_id from source_record where source = ?", UUID.class, source);
  }
}
