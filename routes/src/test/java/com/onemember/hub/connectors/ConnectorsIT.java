package com.onemember.hub.connectors;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.api.client.ConnectorsApi;
import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.Connector;
import com.onemember.api.client.model.ConnectorRun;
import com.onemember.api.client.model.ConnectorState;
import com.onemember.api.client.model.Member;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.HubInfrastructure;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The uniCenta connector against uniCenta's own customers table on a real PostgreSQL: customers
 * added and changed in the POS reach the hub on the connector's schedule, a row that names nobody
 * is rejected and listed while the rows beside it go in, a POS the hub cannot reach is shown
 * failing with the reason, and a person can pause, resume and run a connector.
 */
class ConnectorsIT extends HubIT {

  @org.springframework.beans.factory.annotation.Autowired
  com.onemember.mdm.golden.Survivorship survivorship;

  @org.springframework.beans.factory.annotation.Autowired JdbcTemplate hubDatabase;

  private final JdbcTemplate pos = new JdbcTemplate(HubInfrastructure.get().unicentaDataSource());

  @Test
  void customersAddedAndChangedInThePosReachTheHubAndAPersonlessRowIsRejected() throws Exception {
    pos.update(
        "insert into customers (id, searchkey, name, card, phone, city, address) values"
            + " ('6f1c2a10-0001-4c1e-9a51-3f1d2b7c0001', 'C0001', '欧阳娜娜', '8800120001',"
            + " '139 1234 0001', '上海', '徐汇区漕溪北路 88 号'),"
            + " ('6f1c2a10-0002-4c1e-9a51-3f1d2b7c0002', 'C0002', '', null, null, null, null),"
            + " ('6f1c2a10-0003-4c1e-9a51-3f1d2b7c0003', 'C0003', '单雪', null, '13912340003',"
            + " null, null)");

    Member nana = awaitOneMember("13912340001");
    assertThat(nana.getName()).isEqualTo("欧阳娜娜");
    assertThat(nana.getSourceRecords())
        .singleElement()
        .satisfies(r -> assertThat(r.getSource()).isEqualTo("pos-unicenta-it"));
    // the new member's golden event names the run that read the customer (README: Logs)
    String correlation =
        hubDatabase.queryForObject(
            "select correlation_id from golden_event where member_id = ? order by seq limit 1",
            String.class,
            nana.getId());
    assertThat(correlation).startsWith("run-");
    long run = Long.parseLong(correlation.split(",")[0].substring("run-".length()));
    assertThat(connectors().listConnectorRuns("pos-unicenta-it", null, 200).getItems())
        .anySatisfy(r -> assertThat(r.getId()).isEqualTo(run));
    awaitOneMember("13912340003");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        connectors()
                            .listConnectorRejections("pos-unicenta-it", null, 50)
                            .getItems())
                    .anySatisfy(
                        r -> {
                          assertThat(r.getSourceRecordId())
                              .isEqualTo("6f1c2a10-0002-4c1e-9a51-3f1d2b7c0002");
                          assertThat(r.getReason())
                              .contains("nothing in the row identifies a person");
                          assertThat(r.getRaw()).containsEntry("searchkey", "C0002");
                        }));

    // the store adds a second number: only that row is sent again
    pos.update(
        "update customers set phone2 = '13812340001' where id = '6f1c2a10-0001-4c1e-9a51-3f1d2b7c0001'");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(members().findMembers("13812340001").getItems()).hasSize(1));
    assertThat(members().findMembers("13812340001").getItems().get(0).getId())
        .isEqualTo(nana.getId());
    List<ConnectorRun> runs =
        connectors().listConnectorRuns("pos-unicenta-it", null, 200).getItems();
    assertThat(runs).anySatisfy(r -> assertThat(r.getRecordsQueued()).isEqualTo(1));
    assertThat(runs).allSatisfy(r -> assertThat(r.getFailureKind()).isNull());

    // the same person in a store's sheet ends in the same member
    importAndWait(
        "store-sh-01",
        "members.csv",
        aSheet("姓名", "手机号", "生日").row("欧阳娜娜", "13912340001", "1996-12-12").gbkCsv());
    assertThat(members().findMembers("13912340001").getItems())
        .singleElement()
        .satisfies(m -> assertThat(m.getId()).isEqualTo(nana.getId()));

    // the POS gets the golden id of each of its customers, and the member's tags
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        pos.queryForObject(
                            "select golden_id from onemember_member where customer_id = ?",
                            String.class,
                            "6f1c2a10-0001-4c1e-9a51-3f1d2b7c0001"))
                    .isEqualTo(nana.getId().toString()));
    new com.onemember.api.client.MembersApi(apiClient())
        .addMemberTag(
            nana.getId(),
            new com.onemember.api.client.model.TagRequest().name("店长推荐").note("常来的老顾客"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        pos.queryForObject(
                            "select tags from onemember_member where customer_id = ?",
                            String.class,
                            "6f1c2a10-0001-4c1e-9a51-3f1d2b7c0001"))
                    .contains("店长推荐"));
    // writing back did not make the POS's rows change: nothing comes back as news
    long queuedBefore = find("pos-unicenta-it").getRecordsIn();
    Thread.sleep(2500);
    assertThat(find("pos-unicenta-it").getRecordsIn()).isEqualTo(queuedBefore);

    Connector state = find("pos-unicenta-it");
    assertThat(state.getState()).isEqualTo(ConnectorState.RUNNING);
    assertThat(state.getKind()).isEqualTo("unicenta");
    assertThat(state.getFile()).isEqualTo("pos-unicenta-it.yaml");
    assertThat(state.getRecordsIn()).isGreaterThanOrEqualTo(3);
    assertThat(state.getRecordsOut()).isGreaterThanOrEqualTo(2);
    assertThat(state.getRejected()).isGreaterThanOrEqualTo(1);
    assertThat(state.getLastSuccessAt()).isNotNull();
    assertThat(state.getPosition()).startsWith("snapshot of ");
  }

  @Test
  void aCustomerDeletedInThePosWithdrawsItsRecordNotThePerson() throws Exception {
    pos.update(
        "insert into customers (id, searchkey, name, phone) values"
            + " ('6f1c2a10-0021-4c1e-9a51-3f1d2b7c0021', 'C0021', '解小雨', '13912340021'),"
            + " ('6f1c2a10-0022-4c1e-9a51-3f1d2b7c0022', 'C0022', '查文博', '13912340022')");
    Member xie = awaitOneMember("13912340021");
    awaitOneMember("13912340022");
    // 解小雨 is also in a store's sheet
    importAndWait(
        "store-sh-02", "members.csv", aSheet("姓名", "手机号").row("解小雨", "13912340021").gbkCsv());
    assertThat(members().getMember(xie.getId()).getSourceRecords()).hasSize(2);

    pos.update(
        "delete from customers where id in ('6f1c2a10-0021-4c1e-9a51-3f1d2b7c0021',"
            + " '6f1c2a10-0022-4c1e-9a51-3f1d2b7c0022')");

    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(members().findMembers("13912340022").getItems()).isEmpty());
    // the run withdraws the two records one after the other
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(members().getMember(xie.getId()).getSourceRecords())
                    .singleElement()
                    .satisfies(r -> assertThat(r.getSource()).isEqualTo("store-sh-02")));
    assertThat(connectors().listConnectorRuns("pos-unicenta-it", null, 200).getItems())
        .anySatisfy(r -> assertThat(r.getRecordsWithdrawn()).isEqualTo(2));
    assertThat(
            new com.onemember.api.client.AuditApi(apiClient())
                .listMergeLog(
                    null,
                    "pos-unicenta-it:6f1c2a10-0021-4c1e-9a51-3f1d2b7c0021",
                    null,
                    null,
                    null,
                    com.onemember.api.client.model.MergeAction.RECORD_WITHDRAWN,
                    null,
                    10)
                .getItems())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getActor()).isEqualTo("connector pos-unicenta-it");
              assertThat(e.getEvidence()).contains("member kept").contains("deleted in");
            });
  }

  @Test
  void pospalMembersReachTheHubThroughAUsedUpQuotaAndADeletionWithdrawsOne() throws Exception {
    var pospal = HubInfrastructure.get().pospal();
    pospal.quotaAnswersLeft.set(2);
    pospal.add(612470307777855501L, "GZ0501", "区志强", "13912340501");
    pospal.add(612470307777855502L, "GZ0502", "覃丽", "13912340502");

    Member ou = awaitOneMember("13912340501");
    assertThat(ou.getName()).isEqualTo("区志强");
    assertThat(ou.getSourceRecords())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getSource()).isEqualTo("pospal-it");
              assertThat(r.getSourceRecordId()).isEqualTo("612470307777855501");
            });
    awaitOneMember("13912340502");
    assertThat(pospal.refusals).isEmpty();

    pospal.delete(612470307777855502L);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(members().findMembers("13912340502").getItems()).isEmpty());

    // the member's golden tags reach the cashier, in the member's remarks, and do not come back
    members()
        .addMemberTag(
            ou.getId(), new com.onemember.api.client.model.TagRequest().name("储值客户").note("办过储值卡"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(pospal.get(612470307777855501L).path("remarks").asString())
                    .isEqualTo("【会员标签：储值客户】"));
    long inBefore = find("pospal-it").getRecordsIn();
    Thread.sleep(2500);
    assertThat(find("pospal-it").getRecordsIn()).isEqualTo(inBefore);

    Connector state = find("pospal-it");
    assertThat(state.getKind()).isEqualTo("pospal");
    assertThat(state.getState()).isEqualTo(ConnectorState.RUNNING);
  }

  /**
   * A system that suddenly lacks most of its customers is more likely the wrong database or a
   * restored backup than a store that deleted them: the sync fails and withdraws nobody.
   */
  @Test
  void aReadThatLosesMostCustomersAtOnceWithdrawsNobody() throws Exception {
    var pospal = HubInfrastructure.get().pospal();
    for (int i = 0; i < 12; i++) {
      pospal.add(
          612470307777855600L + i, "GZ06" + i, "黎嘉" + (char) ('一' + i), "139123406" + (10 + i));
    }
    for (int i = 0; i < 12; i++) {
      awaitOneMember("139123406" + (10 + i));
    }
    for (int i = 0; i < 10; i++) {
      pospal.delete(612470307777855600L + i);
    }
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Connector state = find("pospal-it");
                assertThat(state.getState()).isEqualTo(ConnectorState.FAILING);
                assertThat(state.getFailure())
                    .contains("looks like a wrong or restored database")
                    .contains("max-withdraw-share");
              });
      for (int i = 0; i < 10; i++) {
        assertThat(members().findMembers("139123406" + (10 + i)).getItems()).hasSize(1);
      }
    } finally {
      for (int i = 0; i < 10; i++) {
        pospal.restore(612470307777855600L + i);
      }
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(find("pospal-it").getState()).isEqualTo(ConnectorState.RUNNING));
  }

  @Test
  void aPosTheHubCannotReachIsShownFailingWithTheReasonAndRetried() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Connector down = find("pos-unicenta-down");
              assertThat(down.getState()).isEqualTo(ConnectorState.FAILING);
              assertThat(down.getFailure()).contains("cannot reach the POS database");
            });
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(connectors().listConnectorRuns("pos-unicenta-down", null, 50).getItems())
                    .hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(
                        r ->
                            assertThat(r.getFailureKind())
                                .isEqualTo(ConnectorRun.FailureKindEnum.TRANSIENT)));
  }

  @Test
  void theTrustAnInstanceFileGivesCountsBeforeTheConfiguredPatterns() {
    var rules = survivorship.rules();
    // survivorship.yaml trusts "pos-*" at 90; the instance file says 95
    assertThat(rules.trustOf("pos-unicenta-it")).isEqualTo(95);
    assertThat(rules.trustOf("pos-unicenta-down")).isEqualTo(90);
  }

  /** One unreadable cell is a warning the connector's list shows; the customer is kept. */
  @Test
  void aCustomerWithAnUnallocatedNumberIsKeptAndTheWarningListed() throws Exception {
    pos.update(
        "insert into customers (id, searchkey, name, phone, phone2) values"
            + " ('6f1c2a10-0041-4c1e-9a51-3f1d2b7c0041', 'C0041', '巫启贤', '16412345678',"
            + " '13912340041')");

    Member wu = awaitOneMember("13912340041");

    assertThat(wu.getName()).isEqualTo("巫启贤");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        connectors()
                            .listConnectorRejections("pos-unicenta-it", null, 200)
                            .getItems())
                    .anySatisfy(
                        r -> {
                          assertThat(r.getSourceRecordId())
                              .isEqualTo("6f1c2a10-0041-4c1e-9a51-3f1d2b7c0041");
                          assertThat(r.getKept()).isTrue();
                          assertThat(r.getReason()).contains("16412345678");
                        }));
    assertThat(find("pos-unicenta-it").getKeptWithWarnings()).isPositive();
  }

  @Test
  void aResyncSendsEveryRowAgainAndChangesNoMember() throws Exception {
    pos.update(
        "insert into customers (id, searchkey, name, phone) values"
            + " ('6f1c2a10-0031-4c1e-9a51-3f1d2b7c0031', 'C0031', '尉迟恭', '13912340031')");
    Member yuchi = awaitOneMember("13912340031");
    long version = yuchi.getVersion();
    int rows = pos.queryForObject("select count(*) from customers", Integer.class);
    long newestRun =
        connectors().listConnectorRuns("pos-unicenta-it", null, 1).getItems().get(0).getId();

    assertThat(connectors().resyncConnector("pos-unicenta-it", null).getId())
        .isEqualTo("pos-unicenta-it");

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(connectors().listConnectorRuns("pos-unicenta-it", null, 200).getItems())
                    .filteredOn(r -> r.getId() > newestRun)
                    .anySatisfy(
                        r -> assertThat(r.getRecordsQueued()).isGreaterThanOrEqualTo(rows - 1)));
    Thread.sleep(2000);
    assertThat(members().getMember(yuchi.getId()).getVersion()).isEqualTo(version);

    assertThatThrownBy(
            () ->
                connectors()
                    .resyncConnector(
                        "pos-unicenta-it", java.time.OffsetDateTime.parse("2026-12-01T00:00:00Z")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              assertThat(e.getResponseBody()).contains("keeps no change times");
            });
  }

  @Test
  void aDisabledConnectorIsListedAndNeverRun() throws Exception {
    Connector off = find("pos-unicenta-off");
    assertThat(off.getState()).isEqualTo(ConnectorState.DISABLED);
    assertThat(connectors().listConnectorRuns("pos-unicenta-off", null, 50).getItems()).isEmpty();
    assertThatThrownBy(() -> connectors().runConnector("pos-unicenta-off"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getResponseBody()).contains("is disabled in pos-unicenta-off.yaml");
            });
    assertThatThrownBy(() -> connectors().listConnectorRuns("pos-nowhere", null, 50))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  void aPausedConnectorIsNotSyncedUntilResumed() throws Exception {
    assertThat(connectors().pauseConnector("pos-unicenta-it").getState())
        .isEqualTo(ConnectorState.PAUSED);
    try {
      assertThatThrownBy(() -> connectors().runConnector("pos-unicenta-it"))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(409));
      pos.update(
          "insert into customers (id, searchkey, name, phone) values"
              + " ('6f1c2a10-0009-4c1e-9a51-3f1d2b7c0009', 'C0009', '仇晓东', '13912340009')");
      Thread.sleep(3000);
      assertThat(members().findMembers("13912340009").getItems()).isEmpty();
    } finally {
      assertThat(connectors().resumeConnector("pos-unicenta-it").getState())
          .isIn(ConnectorState.RUNNING, ConnectorState.FAILING);
    }
    assertThat(connectors().runConnector("pos-unicenta-it").getId()).isEqualTo("pos-unicenta-it");
    awaitOneMember("13912340009");
  }

  @Test
  void anOsposCustomerOnMariaDbAndTheSamePersonInASheetEndInOneMemberThatOsposLearns()
      throws Exception {
    try (var c = HubInfrastructure.get().osposConnection();
        var st = c.createStatement()) {
      st.execute(
          "insert into ospos_people (first_name, last_name, gender, phone_number, email,"
              + " address_1, address_2, city, state, zip, country, comments, person_id) values"
              + " ('晓彤', '司马', 0, '152 6001 0001', 'simaxt@163.com', '天河路 385 号', '',"
              + " '广州', '广东', '510620', '中国', '', 101),"
              + " ('建国', '钟', 1, '15260010002', '', '', '', '', '', '', '', '', 102)");
      st.execute(
          "insert into ospos_customers (person_id, account_number, deleted, employee_id) values"
              + " (101, 'GZ-000101', 0, 1), (102, 'GZ-000102', 0, 1)");
    }
    Member xiaotong = awaitOneMember("15260010001");
    assertThat(xiaotong.getName()).isEqualTo("司马晓彤");
    awaitOneMember("15260010002");

    importAndWait(
        "store-gz-01",
        "会员.csv",
        aSheet("姓名", "手机号", "生日").row("司马晓彤", "15260010001", "1993-03-08").gbkCsv());
    assertThat(members().findMembers("15260010001").getItems())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getId()).isEqualTo(xiaotong.getId());
              assertThat(m.getSourceRecords()).hasSize(2);
            });

    // OSPOS learns the golden id, through the side table its owner chose
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(osposGoldenId(101)).isEqualTo(xiaotong.getId().toString()));
    long inBefore = find("pos-ospos-it").getRecordsIn();

    // OSPOS deletes a customer by flagging it: that source record is withdrawn
    try (var c = HubInfrastructure.get().osposConnection();
        var st = c.createStatement()) {
      st.execute("update ospos_customers set deleted = 1 where person_id = 102");
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(members().findMembers("15260010002").getItems()).isEmpty());
    assertThat(connectors().listConnectorRuns("pos-ospos-it", null, 200).getItems())
        .anySatisfy(r -> assertThat(r.getRecordsWithdrawn()).isEqualTo(1));
    // writing back changed nothing OSPOS reads: nothing came back as news
    assertThat(find("pos-ospos-it").getRecordsIn()).isEqualTo(inBefore);
    assertThat(find("pos-ospos-it").getKind()).isEqualTo("ospos");
  }

  private static String osposGoldenId(int personId) throws java.sql.SQLException {
    try (var c = HubInfrastructure.get().osposConnection();
        var ps = c.prepareStatement("select golden_id from onemember_member where person_id = ?")) {
      ps.setInt(1, personId);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private Connector find(String id) throws ApiException {
    return connectors().listConnectors().getItems().stream()
        .filter(c -> c.getId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private ConnectorsApi connectors() {
    return new ConnectorsApi(apiClient());
  }
}
