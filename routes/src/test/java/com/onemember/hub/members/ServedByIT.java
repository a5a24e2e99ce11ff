package com.onemember.hub.members;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.ErasureRequest;
import com.onemember.api.client.model.Lineage;
import com.onemember.api.client.model.Member;
import com.onemember.api.client.model.MemberList;
import com.onemember.api.client.model.ServingStaff;
import com.onemember.api.client.model.SourceRecord;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.hub.support.HubIT;
import com.onemember.mdm.ingest.bulk.SourceRecordIngest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Which members a staff member serves: records say so in their {@code servedBy} (as a WeCom contact
 * connector will, here handed to the ingest directly), the golden record unites them, and {@code
 * GET /api/v1/members?servedBy=} lists the members, paged by id, through the index V31 adds.
 */
class ServedByIT extends HubIT {

  @Autowired SourceRecordIngest ingest;
  @Autowired DataSource dataSource;

  @Test
  void aStaffMembersCustomersAreListedOnceEachWithTheStaffOnTheGoldenRecord() throws Exception {
    // 陈静 is 张伟's and 李娜's WeCom contact, and the POS says 张伟 serves her too: one member
    UUID chen =
        ingest
            .ingest(
                record(
                    "wecom-contacts-sv1",
                    "wm-sv1-1",
                    "陈静",
                    "13907720001",
                    new com.onemember.canonical.ServingStaff(
                        null, "zhangwei-sv1", Instant.parse("2025-03-01T02:00:00Z"), null),
                    com.onemember.canonical.ServingStaff.of(null, "lina-sv1")))
            .memberId();
    UUID chenAgain =
        ingest
            .ingest(
                record(
                    "pos-store-sv1",
                    "card-sv1-1",
                    "陈静",
                    "13907720001",
                    com.onemember.canonical.ServingStaff.of("wecom-contacts-sv1", "zhangwei-sv1")))
            .memberId();
    assertThat(chenAgain).isEqualTo(chen);
    UUID liu =
        ingest
            .ingest(
                record(
                    "wecom-contacts-sv1",
                    "wm-sv1-2",
                    "刘洋",
                    "13907720002",
                    com.onemember.canonical.ServingStaff.of(null, "zhangwei-sv1")))
            .memberId();
    // the same user id in another company's WeCom is someone else
    UUID huang =
        ingest
            .ingest(
                record(
                    "wecom-contacts-sv1b",
                    "wm-sv1-3",
                    "黄磊",
                    "13907720003",
                    com.onemember.canonical.ServingStaff.of(null, "zhangwei-sv1")))
            .memberId();

    assertThat(ids(members().findMembers(null, "zhangwei-sv1", null, null, null)))
        .containsExactlyElementsOf(inIdOrder(chen, liu, huang));
    assertThat(ids(members().findMembers(null, "zhangwei-sv1", "wecom-contacts-sv1", null, null)))
        .containsExactlyElementsOf(inIdOrder(chen, liu));
    assertThat(ids(members().findMembers(null, "lina-sv1", null, null, null)))
        .containsExactly(chen);
    assertThat(members().findMembers(null, "nobody-sv1", null, null, null).getItems()).isEmpty();

    Member golden = members().getMember(chen);
    assertThat(golden.getServedBy())
        .extracting(ServingStaff::getSource, ServingStaff::getStaffId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("wecom-contacts-sv1", "lina-sv1"),
            org.assertj.core.groups.Tuple.tuple("wecom-contacts-sv1", "zhangwei-sv1"));
    // both records name 张伟: the POS is trusted more (survivorship.yaml), so its entry stands,
    // which gives no date; 李娜 only the WeCom record names, with none either
    assertThat(golden.getServedBy()).allSatisfy(s -> assertThat(s.getSince()).isNull());
    Lineage zhangwei =
        golden.getLineage().stream()
            .filter(l -> l.getAttribute().equals("servedBy"))
            .filter(l -> l.getValue().equals("zhangwei-sv1 (wecom-contacts-sv1)"))
            .findFirst()
            .orElseThrow();
    assertThat(zhangwei.getRule()).isEqualTo("UNION");
    assertThat(zhangwei.getSources()).hasSize(2);
    SourceRecord pos =
        golden.getSourceRecords().stream()
            .filter(r -> r.getSource().equals("pos-store-sv1"))
            .findFirst()
            .orElseThrow();
    assertThat(pos.getServedBy())
        .singleElement()
        .extracting(ServingStaff::getStaffId)
        .isEqualTo("zhangwei-sv1");
  }

  @Test
  void aLongListComesInPagesByIdAndAMergedMemberIsListedAsItsSurvivor() throws Exception {
    List<UUID> served = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      served.add(
          ingest
              .ingest(
                  record(
                      "wecom-contacts-sv2",
                      "wm-sv2-" + i,
                      List.of("王芳", "赵磊", "孙丽", "周杰", "吴敏").get(i),
                      "1390772010" + i,
                      com.onemember.canonical.ServingStaff.of(null, "wangfang-sv2")))
              .memberId());
    }
    List<UUID> all = inIdOrder(served.toArray(UUID[]::new));

    MemberList first = members().findMembers(null, "wangfang-sv2", null, null, 2);
    assertThat(ids(first)).containsExactlyElementsOf(all.subList(0, 2));
    assertThat(first.getNext()).isEqualTo(all.get(1));
    MemberList second = members().findMembers(null, "wangfang-sv2", null, first.getNext(), 2);
    assertThat(ids(second)).containsExactlyElementsOf(all.subList(2, 4));
    MemberList last = members().findMembers(null, "wangfang-sv2", null, second.getNext(), 2);
    assertThat(ids(last)).containsExactly(all.get(4));
    assertThat(last.getNext()).isNull();

    // two of them turn out to be one person: listed once, under the surviving id
    UUID survivor =
        members()
            .mergeMembers(
                served.get(0),
                new com.onemember.api.client.model.ManualMergeRequest()
                    .otherMemberId(served.get(1))
                    .reason("同一人，电话核实 / same person, confirmed by phone"))
            .getId();
    UUID absorbed = survivor.equals(served.get(0)) ? served.get(1) : served.get(0);
    List<UUID> after = ids(members().findMembers(null, "wangfang-sv2", null, null, 50));
    assertThat(after).hasSize(4).contains(survivor).doesNotContain(absorbed);
  }

  @Test
  void anErasedMemberIsNoLongerAnyonesCustomer() throws Exception {
    UUID member =
        ingest
            .ingest(
                record(
                    "wecom-contacts-sv3",
                    "wm-sv3-1",
                    "郑爽",
                    "13907720301",
                    com.onemember.canonical.ServingStaff.of(null, "chenmin-sv3")))
            .memberId();
    assertThat(ids(members().findMembers(null, "chenmin-sv3", null, null, null)))
        .containsExactly(member);

    members().eraseMember(member, new ErasureRequest().reason("本人申请删除 / customer request sv3"));

    assertThat(members().findMembers(null, "chenmin-sv3", null, null, null).getItems()).isEmpty();
  }

  @Test
  void exactlyOneOfPhoneAndStaffIsTakenAndSourceOnlyWithStaff() {
    assertThat(refusal(null, null, null).getResponseBody())
        .contains("phone-or-served-by")
        .contains("give exactly one of phone and servedBy");
    assertThat(refusal("13907720001", "zhangwei-sv1", null).getResponseBody())
        .contains("phone-or-served-by");
    assertThat(refusal("13907720001", null, "wecom-contacts-sv1").getResponseBody())
        .contains("source-without-served-by")
        .contains("只能与员工账号（servedBy）一起使用");
    assertThat(refusal(null, "x".repeat(65), null).getCode()).isEqualTo(400);
    // the phone lookup is as it was
    assertThat(refusal("12345", null, null).getResponseBody()).contains("invalid-phone");
  }

  @Test
  void theLookupIsAnsweredByTheServedByIndex() throws Exception {
    String staff = "(raw -> 'servedBy') @> '[{\"staffId\": \"zhangwei-sv1\"}]'::jsonb";
    String ofSource =
        "(raw -> 'servedBy') @> '[{\"staffId\": \"zhangwei-sv1\", \"source\": \"w\"}]'::jsonb"
            + " or (source = 'w' and (raw -> 'servedBy')"
            + " @> '[{\"staffId\": \"zhangwei-sv1\", \"source\": null}]'::jsonb)";
    assertThat(plan(staff)).contains("source_record_served_by_idx");
    assertThat(plan(ofSource)).contains("source_record_served_by_idx").doesNotContain("Seq Scan");
  }

  /** PostgreSQL's plan for the records matching {@code condition}, if it can avoid a scan. */
  private String plan(String condition) throws Exception {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        // the test database is small: make PostgreSQL show whether it can use the index at all
        s.execute("set local enable_seqscan = off");
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs =
            s.executeQuery("explain select id from source_record where " + condition)) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
        return plan.toString();
      } finally {
        c.rollback();
      }
    }
  }

  private ApiException refusal(String phone, String servedBy, String source) {
    try {
      members().findMembers(phone, servedBy, source, null, null);
    } catch (ApiException e) {
      assertThat(e.getCode()).isEqualTo(400);
      return e;
    }
    throw new AssertionError("not refused: phone=" + phone + " servedBy=" + servedBy);
  }

  private static List<UUID> ids(MemberList list) {
    return list.getItems().stream().map(Member::getId).toList();
  }

  /** PostgreSQL's uuid order, which is that of the ids' text. */
  private static List<UUID> inIdOrder(UUID... ids) {
    return java.util.Arrays.stream(ids)
        .sorted(java.util.Comparator.comparing(UUID::toString))
        .toList();
  }

  private static com.onemember.canonical.SourceRecord record(
      String source,
      String id,
      String name,
      String mobile,
      com.onemember.canonical.ServingStaff... servedBy) {
    return new com.onemember.canonical.SourceRecord(
        source,
        id,
        Instant.now(),
        name,
        null,
        null,
        null,
        List.of(Identifier.of(IdentifierType.MOBILE, mobile)),
        List.of(),
        List.of(),
        List.of(),
        null,
        Map.of("姓名", name, "手机号", mobile),
        List.of(servedBy));
  }
}
