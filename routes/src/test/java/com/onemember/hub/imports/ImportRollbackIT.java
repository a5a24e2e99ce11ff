package com.onemember.hub.imports;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.api.client.AuditApi;
import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.ImportJob;
import com.onemember.api.client.model.ImportRollback;
import com.onemember.api.client.model.ImportStatus;
import com.onemember.api.client.model.ManualMergeRequest;
import com.onemember.api.client.model.Member;
import com.onemember.api.client.model.MergeAction;
import com.onemember.api.client.model.MergeLogEntry;
import com.onemember.api.client.model.RollbackRequest;
import com.onemember.hub.support.HubIT;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** One wrong upload undone in one call: the members stand as they were before it. */
class ImportRollbackIT extends HubIT {

  private static final String POS = "pos-store-98";
  private static final String[] HEADER = {"会员卡号", "姓名", "性别", "手机号", "邮箱", "生日", "更新时间"};

  @Test
  void rollingBackAnImportRestoresTheMembersAsTheyWereBeforeIt() throws Exception {
    // before: four members, two of them (张伟 at the till, Wei Zhang on the web shop) not known as
    // one
    importAndWait(
        POS,
        "members-2026-10.csv",
        aSheet(HEADER)
            .row("9800001", "李建国", "男", "13809800001", "", "1970-03-12", "2026-10-01 09:00:00")
            .row("9800003", "赵磊", "男", "13809800003", "", "1992-11-30", "2026-10-01 09:00:00")
            .row("9800011", "张伟", "男", "13809800011", "", "1985-06-01", "2026-10-01 09:00:00")
            .gbkCsv());
    importAndWait(
        "web-shop",
        "customers.csv",
        aSheet("客户编号", "姓名", "邮箱").row("98011", "Wei Zhang", "zhangwei850601@qq.com").utf8Csv());
    Member liJianguo = only("13809800001");
    Member zhaoLei = only("13809800003");
    Member zhangAtTill = only("13809800011");
    Member zhangOnWeb =
        members().getMember(members().crossReference("web-shop", "ext:98011").getMemberId());
    assertThat(zhangOnWeb.getId()).isNotEqualTo(zhangAtTill.getId());
    List<Member> before = List.of(liJianguo, zhaoLei, zhangAtTill, zhangOnWeb);

    // the wrong upload: it changes 赵磊's record, brings a record that shows both 张伟 are one,
    // a new member, an unchanged row and a bad row
    ImportJob wrong =
        importAndWait(
            POS,
            "members-2026-11.csv",
            aSheet(HEADER)
                .row("9800003", "赵蕾", "女", "13809800003", "", "1992-11-03", "2026-11-20 10:00:00")
                .row(
                    "9800012",
                    "张伟",
                    "男",
                    "138 0980 0011",
                    "zhangwei850601@qq.com",
                    "1985-06-01",
                    "2026-11-20 10:00:00")
                .row("9800020", "钱芳", "女", "13809800020", "", "1988-01-09", "2026-11-20 10:00:00")
                .row("9800001", "李建国", "男", "13809800001", "", "1970-03-12", "2026-10-01 09:00:00")
                .row("", "", "", "12345", "", "", "")
                .gbkCsv());
    assertThat(wrong.getCounts().getUpdated()).isEqualTo(1);
    assertThat(wrong.getCounts().getUnchanged()).isEqualTo(1);
    assertThat(wrong.getCounts().getRejected()).isEqualTo(1);
    assertThat(members().getMember(zhangOnWeb.getId()).getId()).isEqualTo(zhangAtTill.getId());
    assertThat(members().getMember(zhaoLei.getId()).getName()).isEqualTo("赵蕾");
    UUID qianFang = only("13809800020").getId();

    ImportRollback done =
        imports()
            .rollbackImport(
                wrong.getId(),
                new RollbackRequest().reason("上传了测试门店的表格 / the test store's sheet was uploaded"));
    assertThat(done.getMergesUndone()).isEqualTo(1);
    assertThat(done.getRecordsRemoved()).isEqualTo(2);
    assertThat(done.getRecordsRestored()).isEqualTo(1);
    assertThat(done.getMembersWithdrawn()).containsExactly(qianFang);
    assertThat(done.getMembersRestored())
        .contains(zhaoLei.getId(), zhangAtTill.getId(), zhangOnWeb.getId());

    // every member as it was, attribute by attribute, records and lineage included
    for (Member was : before) {
      Member now = members().getMember(was.getId());
      assertThat(now)
          .as(was.getName())
          .usingRecursiveComparison()
          .ignoringFields("version", "updatedAt")
          .isEqualTo(was);
      assertThat(now.getVersion()).isGreaterThanOrEqualTo(was.getVersion());
    }
    assertThatThrownBy(() -> members().getMember(qianFang))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(410);
              assertThat(e.getResponseBody()).contains("测试门店");
            });
    assertThatThrownBy(() -> members().crossReference(POS, "card:9800012"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));

    ImportJob status = imports().getImport(wrong.getId());
    assertThat(status.getStatus()).isEqualTo(ImportStatus.ROLLED_BACK);
    assertThat(status.getRollbackReason()).contains("test store");

    AuditApi audit = new AuditApi(apiClient());
    List<MergeLogEntry> log =
        audit
            .listMergeLog(
                zhangAtTill.getId(), null, null, null, null, MergeAction.ROLLBACK, null, 10)
            .getItems();
    assertThat(log)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getMemberIds()).contains(zhangAtTill.getId(), zhangOnWeb.getId());
              assertThat(e.getSourceRecords()).containsExactly(POS + ":card:9800012");
              assertThat(e.getEvidence()).contains(wrong.getId().toString(), "restored");
            });
    assertThat(audit.verifyMergeLog().getOk()).isTrue();

    // once is enough
    assertThatThrownBy(
            () -> imports().rollbackImport(wrong.getId(), new RollbackRequest().reason("again")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getResponseBody()).contains("already rolled back");
            });

    // and the rolled-back file, sent again, is taken as new: it is not "unchanged"
    ImportJob again =
        importAndWait(
            POS,
            "members-2026-11.csv",
            aSheet(HEADER)
                .row(
                    "9800012",
                    "张伟",
                    "男",
                    "138 0980 0011",
                    "zhangwei850601@qq.com",
                    "1985-06-01",
                    "2026-11-20 10:00:00")
                .gbkCsv());
    assertThat(again.getCounts().getMerged()).isEqualTo(1);
    assertThat(members().getMember(zhangOnWeb.getId()).getId()).isEqualTo(zhangAtTill.getId());
  }

  @Test
  void aRollbackKeepsTheRecordsALaterImportOfTheSameSourceReadAgain() throws Exception {
    ImportJob first =
        importAndWait(
            "pos-store-97",
            "2026-11.csv",
            aSheet(HEADER)
                .row("9700001", "倪妮", "女", "13809700001", "", "1988-08-08", "")
                .row("9700002", "井柏然", "男", "13809700002", "", "1989-07-03", "")
                .gbkCsv());
    // next month's export: the same two customers unchanged, and a new one
    ImportJob second =
        importAndWait(
            "pos-store-97",
            "2026-12.csv",
            aSheet(HEADER)
                .row("9700001", "倪妮", "女", "13809700001", "", "1988-08-08", "")
                .row("9700002", "井柏然", "男", "13809700002", "", "1989-07-03", "")
                .row("9700003", "白百何", "女", "13809700003", "", "1984-10-17", "")
                .gbkCsv());
    assertThat(second.getCounts().getUnchanged()).isEqualTo(2);

    ImportRollback undone =
        imports().rollbackImport(first.getId(), new RollbackRequest().reason("测试回滚 / test"));

    assertThat(undone.getRecordsKept()).isEqualTo(2);
    assertThat(undone.getRecordsRemoved()).isZero();
    assertThat(only("13809700001").getSourceRecords()).hasSize(1);
    assertThat(only("13809700002").getSourceRecords()).hasSize(1);
    // the later import accounts for them now: rolling it back removes all three
    ImportRollback both =
        imports().rollbackImport(second.getId(), new RollbackRequest().reason("测试回滚 / test"));
    assertThat(both.getRecordsRemoved()).isEqualTo(3);
    for (String phone : new String[] {"13809700001", "13809700002", "13809700003"}) {
      assertThat(members().findMembers(phone).getItems()).as(phone).isEmpty();
    }
  }

  @Test
  void aRollbackThatWouldLoseALaterChangeIsRefusedAndSaysWhichChange() throws Exception {
    importAndWait(
        "pos-store-99",
        "a.csv",
        aSheet(HEADER)
            .row("9900001", "孙悦", "女", "13809900001", "", "1993-04-18", "")
            .row("9900002", "周涛", "男", "13809900002", "", "1979-12-02", "")
            .gbkCsv());
    ImportJob second =
        importAndWait(
            "store-99",
            "sheet.csv",
            aSheet("姓名", "手机号", "生日").row("孙悦", "138-0990-0001", "1993.4.18").utf8Csv());
    Member sunYue = only("13809900001");
    assertThat(sunYue.getSourceRecords()).hasSize(2);
    // a steward acts on the member after the import
    Member zhouTao = only("13809900002");
    members()
        .mergeMembers(
            sunYue.getId(),
            new ManualMergeRequest().otherMemberId(zhouTao.getId()).reason("测试：同一人 / test"));

    assertThatThrownBy(
            () ->
                imports()
                    .rollbackImport(second.getId(), new RollbackRequest().reason("wrong sheet")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getResponseBody()).contains(sunYue.getId().toString(), "changed again");
            });
    // nothing was touched by the refused rollback
    assertThat(imports().getImport(second.getId()).getStatus()).isEqualTo(ImportStatus.COMPLETED);
    assertThat(members().getMember(sunYue.getId()).getSourceRecords()).hasSize(3);

    // bad requests: no reason, no such import
    assertThatThrownBy(
            () -> imports().rollbackImport(second.getId(), new RollbackRequest().reason(" ")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(400));
    assertThatThrownBy(
            () -> imports().rollbackImport(UUID.randomUUID(), new RollbackRequest().reason("typo")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  void aTagGivenAfterTheImportNeitherBlocksTheRollbackNorIsLostByIt() throws Exception {
    importAndWait(
        "pos-store-96",
        "members.csv",
        aSheet(HEADER)
            .row("9600101", "邓超", "男", "13809600101", "", "1979-02-08", "2026-09-01 09:00:00")
            .gbkCsv());
    Member before = only("13809600101");
    ImportJob change =
        importAndWait(
            "pos-store-96",
            "members-fixed.csv",
            aSheet(HEADER)
                .row("9600101", "邓超", "男", "13809600101", "", "1979-12-08", "2026-11-01 09:00:00")
                .gbkCsv());
    assertThat(change.getCounts().getUpdated()).isEqualTo(1);
    members()
        .addMemberTag(
            before.getId(),
            new com.onemember.api.client.model.TagRequest().name("店长推荐").note("常客 / regular"));

    ImportRollback done =
        imports()
            .rollbackImport(
                change.getId(), new RollbackRequest().reason("生日改错了 / wrong birthday fix"));
    assertThat(done.getRecordsRestored()).isEqualTo(1);
    Member after = members().getMember(before.getId());
    assertThat(after.getBirthday()).isEqualTo("1979-02-08");
    assertThat(after.getTags())
        .extracting(com.onemember.api.client.model.Tag::getName)
        .contains("店长推荐");
  }

  private Member only(String phone) throws ApiException {
    List<Member> found = members().findMembers(phone).getItems();
    assertThat(found).as(phone).hasSize(1);
    return found.get(0);
  }
}
