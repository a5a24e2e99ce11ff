package com.onemember.hub.imports;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.ImportJob;
import com.onemember.api.client.model.ImportStatus;
import com.onemember.api.client.model.Member;
import com.onemember.hub.support.HubIT;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** The import path end to end: upload → queue → ingest → report, through the generated client. */
class ImportsIT extends HubIT {

  @Test
  void gbkPosExportAndWebShopExportBecomeOneMemberListWithDuplicatesMerged() throws Exception {
    byte[] pos =
        aSheet("会员卡号", "姓名", "手机号", "性别", "生日", "积分")
            .row("8800101", "张伟", "138-0101-0001", "男", "1988.3.12", "320")
            .row("8800102", "李娜", "13801010002", "女", "19920708", "80")
            .row("8800103", "王秀英", "+86 138 0101 0003", "女", "1975年11月2日", "1500")
            .gbkCsv();
    byte[] shop =
        aSheet("First Name", "Last Name", "Email", "Phone", "City")
            .row("Wei", "Zhang", "zhangwei88@qq.com", "+8613801010001", "上海")
            .row("娜", "李", "lina.sh@163.com", "86-13801010002", "上海")
            .row("Jun", "Liu", "liujun@example.com", "13801010099", "杭州")
            .utf8Csv();

    ImportJob first = importAndWait("pos-store-12", "pos.csv", pos);
    ImportJob second = importAndWait("web-shop", "customers.csv", shop);

    assertThat(first.getEncoding()).isEqualTo("GB18030");
    assertThat(first.getCounts().getCreated()).isEqualTo(3);
    assertThat(second.getEncoding()).isEqualTo("UTF-8");
    assertThat(second.getCounts().getMerged()).isEqualTo(2);
    assertThat(second.getCounts().getCreated()).isEqualTo(1);
    assertThat(first.getUnmappedColumns()).containsExactly("积分");

    List<Member> zhang = members().findMembers("138 0101 0001").getItems();
    assertThat(zhang).hasSize(1);
    assertThat(zhang.get(0).getName()).isEqualTo("张伟");
    assertThat(zhang.get(0).getSourceRecords())
        .extracting(r -> r.getSource())
        .containsExactlyInAnyOrder("pos-store-12", "web-shop");
    assertThat(zhang.get(0).getSourceRecords())
        .filteredOn(r -> r.getSource().equals("pos-store-12"))
        .first()
        .satisfies(r -> assertThat(r.getRaw()).containsEntry("积分", "320"));

    List<CSVRecord> report = report(second.getId());
    assertThat(report)
        .extracting(r -> r.get("outcome"))
        .containsExactly("merged", "merged", "created");
    assertThat(report.get(0).get("member_id")).isEqualTo(zhang.get(0).getId().toString());
  }

  @Test
  void reportNamesTheMemberARowBelongsToNowAfterALaterMerge() throws Exception {
    ImportJob byPhone =
        importAndWait(
            "pos-store-31", "a.csv", aSheet("姓名", "手机号").row("赵敏", "13802020001").gbkCsv());
    ImportJob byEmail =
        importAndWait(
            "web-shop-31", "b.csv", aSheet("姓名", "邮箱").row("赵敏", "zhaomin@126.com").utf8Csv());
    String before = report(byPhone.getId()).get(0).get("member_id");
    assertThat(report(byEmail.getId()).get(0).get("member_id")).isNotEqualTo(before);

    importAndWait(
        "mini-program-31",
        "c.csv",
        aSheet("姓名", "手机号", "邮箱").row("赵敏", "13802020001", "ZhaoMin@126.com").utf8Csv());

    String phoneMember = report(byPhone.getId()).get(0).get("member_id");
    String emailMember = report(byEmail.getId()).get(0).get("member_id");
    assertThat(phoneMember).isEqualTo(emailMember);
    Member merged = members().getMember(UUID.fromString(before));
    assertThat(merged.getSourceRecords()).hasSize(3);

    // a system that only knows its own id finds the surviving golden member
    String webRecordId = report(byEmail.getId()).get(0).get("source_record_id");
    var xref = members().crossReference("web-shop-31", webRecordId);
    assertThat(xref.getMemberId()).isEqualTo(merged.getId());
    assertThat(xref.getMemberVersion()).isEqualTo(merged.getVersion());
    assertThatThrownBy(() -> members().crossReference("web-shop-31", "row:unknown"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  void aRowWithAnUnreadableValueIsKeptWithAWarningAndOnlyARowThatIdentifiesNobodyIsRejected()
      throws Exception {
    byte[] sheet =
        aSheet("姓名", "手机号", "生日", "备注")
            .row("孙丽", "13803030001", "1990-05-03", "好的行 good row")
            .row("", "", "", "只有备注，没有姓名和手机 / neither name nor phone")
            .row("单雪梅", "12345", "", "phone 12345")
            .row("吴".repeat(2000), "13803030004", "", "2000-character name")
            .row("=HYPERLINK(\"http://evil.example\",\"点我\")", "13803030005", "", "formula")
            .row("郑强", "13803030006", "1990-02-30", "impossible birthday")
            .row("冯梅", "13803030007", "5月3日", "year-less birthday is fine")
            .xlsx();

    ImportJob job = importAndWait("store-suzhou-03", "sheet.xlsx", sheet);

    assertThat(job.getCounts().getRows()).isEqualTo(7);
    assertThat(job.getCounts().getCreated()).isEqualTo(6);
    assertThat(job.getCounts().getRejected()).isEqualTo(1);
    assertThat(job.getCounts().getWarnings()).isEqualTo(4);
    assertThat(job.getProgress().getWarnings()).isEqualTo(4);
    List<CSVRecord> report = report(job.getId());
    assertThat(report.get(1).get("outcome")).isEqualTo("rejected");
    assertThat(report.get(1).get("member_id")).isEmpty();
    assertThat(report.get(1).get("error")).contains("no name and no phone");
    assertThat(report.get(2).get("warnings")).contains("12345").contains("not a valid number");
    assertThat(report.get(3).get("warnings")).contains("2000 characters").contains("at most 50");
    assertThat(report.get(4).get("warnings")).contains("column 姓名 holds a formula");
    assertThat(report.get(5).get("warnings")).contains("1990-02-30").contains("not a date");
    for (int kept : new int[] {0, 2, 3, 4, 5, 6}) {
      assertThat(report.get(kept).get("outcome")).isEqualTo("created");
      assertThat(report.get(kept).get("member_id")).isNotBlank();
      assertThat(report.get(kept).get("error")).isEmpty();
    }
    assertThat(report.get(0).get("warnings")).isEmpty();
    assertThat(report.get(6).get("warnings")).isEmpty();
  }

  /**
   * A till that let a clerk type 164… (a range no carrier was given) for a card holder the store
   * already knows: the row goes in, joins her by her card, and the report says why her phone was
   * not used.
   */
  @Test
  void aRowWithAnUnallocatedMobileIsKeptAndJoinsTheEarlierMemberByItsCard() throws Exception {
    String source = "pos-store-75";
    ImportJob earlier =
        importAndWait(
            source,
            "会员-10月.csv",
            aSheet("客户编号", "会员卡号", "姓名", "手机号")
                .row("C710001", "8807101", "王芳", "13807100001")
                .gbkCsv());
    assertThat(earlier.getCounts().getCreated()).isEqualTo(1);
    String wangFang = report(earlier.getId()).get(0).get("member_id");

    ImportJob job =
        importAndWait(
            source,
            "会员-11月.csv",
            aSheet("客户编号", "会员卡号", "姓名", "手机号")
                .row("C710002", "8807101", "王芳", "16412345678")
                .row("C710003", "8807102", "刘洋", "13807100003")
                .gbkCsv());

    assertThat(job.getCounts().getRejected()).isZero();
    assertThat(job.getCounts().getMerged()).isEqualTo(1);
    assertThat(job.getCounts().getCreated()).isEqualTo(1);
    assertThat(job.getCounts().getWarnings()).isEqualTo(1);
    String csv = reportText(job.getId());
    assertThat(csv).startsWith("row,source_record_id,outcome,member_id,error,warnings\n");
    List<CSVRecord> report = report(job.getId());
    CSVRecord kept = report.get(0);
    assertThat(kept.get("outcome")).isEqualTo("merged");
    assertThat(kept.get("member_id")).isEqualTo(wangFang);
    assertThat(kept.get("error")).isEmpty();
    assertThat(kept.get("warnings"))
        .contains("手机号")
        .contains("16412345678")
        .contains("Phone number")
        .contains("is not a valid number");
    assertThat(report.get(1).get("warnings")).isEmpty();

    // the bad number is kept with the row, but is no phone of hers
    Member member = members().getMember(UUID.fromString(wangFang));
    assertThat(member.getIdentifiers()).noneMatch(i -> i.getValue().contains("16412345678"));
    assertThat(member.getSourceRecords())
        .filteredOn(r -> "ext:C710002".equals(r.getSourceRecordId()))
        .singleElement()
        .satisfies(r -> assertThat(r.getRaw()).containsEntry("手机号", "16412345678"));
  }

  @Test
  void anImpossibleBirthdayAnUnknownGenderCodeAndABrokenEmailAreEachAWarningNamingTheField()
      throws Exception {
    ImportJob job =
        importAndWait(
            "web-shop-72",
            "customers.csv",
            aSheet("姓名", "手机号", "性别", "生日", "邮箱")
                .row("赵静", "13807200001", "女", "1990-02-30", "zhaojing72@163.com")
                .row("钱坤", "13807200002", "9", "1985-04-12", "")
                .row("孙悦", "13807200003", "女", "1993-06-18", "wang@@qq")
                .utf8Csv());

    assertThat(job.getCounts().getCreated()).isEqualTo(3);
    assertThat(job.getCounts().getRejected()).isZero();
    assertThat(job.getCounts().getWarnings()).isEqualTo(3);
    List<CSVRecord> report = report(job.getId());
    assertThat(report).extracting(r -> r.get("outcome")).containsOnly("created");
    assertThat(report.get(0).get("warnings"))
        .contains("生日")
        .contains("Birthday")
        .contains("1990-02-30");
    assertThat(report.get(1).get("warnings")).contains("性别").matches(".*Gender\\W+9\\W.*");
    assertThat(report.get(2).get("warnings"))
        .contains("邮箱")
        .contains("E-mail")
        .contains("wang@@qq");

    // left out of the golden record, kept in the raw record
    Member zhao = members().findMembers("13807200001").getItems().get(0);
    assertThat(zhao.getBirthday()).isNull();
    assertThat(zhao.getSourceRecords().get(0).getRaw()).containsEntry("生日", "1990-02-30");
    Member sun = members().findMembers("13807200003").getItems().get(0);
    assertThat(sun.getIdentifiers()).noneMatch(i -> i.getValue().contains("@@"));
    assertThat(sun.getBirthday()).isEqualTo("1993-06-18");
  }

  @Test
  void aRowWithNothingThatIdentifiesAPersonIsStillRejectedWithAClearReason() throws Exception {
    ImportJob job =
        importAndWait(
            "store-wuxi-73",
            "登记表.csv",
            aSheet("姓名", "手机号", "性别", "备注")
                .row("", "", "男", "路过的客人，没留电话 / a passer-by")
                .row("蒋雯", "13807300002", "女", "")
                .gbkCsv());

    assertThat(job.getCounts().getRejected()).isEqualTo(1);
    assertThat(job.getCounts().getCreated()).isEqualTo(1);
    assertThat(job.getCounts().getWarnings()).isZero();
    CSVRecord refused = report(job.getId()).get(0);
    assertThat(refused.get("outcome")).isEqualTo("rejected");
    assertThat(refused.get("member_id")).isEmpty();
    assertThat(refused.get("error"))
        .contains("既没有姓名，也没有手机号")
        .contains("The row has no name and no phone");
  }

  /**
   * What a formula shows depends on a calculation the hub cannot repeat, so its value is not
   * matched on; the row goes in on what else it holds, and keeps the formula in its raw record. A
   * row holding nothing else is refused, and its warning is not lost on the way.
   */
  @Test
  void aFormulaInThePhoneColumnIsAWarningAndTheRowIsKeptOnWhatElseItHolds() throws Exception {
    String source = "store-ningbo-74";
    ImportJob job =
        importAndWait(
            source,
            "会员.xlsx",
            aSheet("会员卡号", "姓名", "手机号", "生日")
                .row("8807401", "周敏", "=A1+1", "1988-03-04")
                .row("8807402", "吴磊", "=A1+2", "1990-02-30")
                .row("", "", "=A1+3", "")
                .xlsx());

    assertThat(job.getCounts().getCreated()).isEqualTo(2);
    assertThat(job.getCounts().getRejected()).isEqualTo(1);
    assertThat(job.getCounts().getWarnings()).isEqualTo(2);
    List<CSVRecord> report = report(job.getId());
    assertThat(report.get(0).get("outcome")).isEqualTo("created");
    assertThat(report.get(0).get("warnings"))
        .contains("第 3 列「手机号」是公式“=A1+1”")
        .contains("column 手机号 holds a formula \"=A1+1\"")
        .doesNotContain("Birthday");
    // the cell's warning from reading the file, then the standardizer's, in one line
    assertThat(report.get(1).get("warnings"))
        .matches(".*column 手机号 holds a formula.*; 生日\\W+1990-02-30\\W.*Birthday.*");
    assertThat(report.get(2).get("outcome")).isEqualTo("rejected");
    assertThat(report.get(2).get("error")).contains("no name and no phone");
    assertThat(report.get(2).get("warnings")).contains("column 手机号 holds a formula \"=A1+3\"");

    Member zhou =
        members().getMember(members().crossReference(source, "card:8807401").getMemberId());
    assertThat(zhou.getName()).isEqualTo("周敏");
    assertThat(zhou.getIdentifiers()).noneMatch(i -> i.getValue().contains("A1"));
    assertThat(zhou.getSourceRecords().get(0).getRaw()).containsEntry("手机号", "=A1+1");
  }

  @Test
  void theSameFileAgainAnswersWithTheFirstImportAndAnOverlappingOneDuplicatesNobody()
      throws Exception {
    byte[] sheet =
        aSheet("姓名", "手机号", "性别")
            .row("陈静", "13804040001", "女")
            .row("林峰", "13804040002", "男")
            .gbkCsv();
    ImportJob first = importAndWait("pos-store-44", "members.csv", sheet);
    assertThat(first.getCounts().getCreated()).isEqualTo(2);

    // the same bytes from the same source, even under another name: the first import
    ImportJob same = upload("pos-store-44", "members (1).csv", sheet);
    assertThat(same.getId()).isEqualTo(first.getId());
    assertThat(same.getStatus()).isEqualTo(ImportStatus.COMPLETED);
    // from another source it is that source's own import
    assertThat(upload("pos-store-45", "members.csv", sheet).getId()).isNotEqualTo(first.getId());

    // next month's export holds both again and one more: nobody is duplicated
    ImportJob overlapping =
        importAndWait(
            "pos-store-44",
            "members-12.csv",
            aSheet("姓名", "手机号", "性别")
                .row("陈静", "13804040001", "女")
                .row("林峰", "13804040002", "男")
                .row("周迅", "13804040003", "女")
                .gbkCsv());
    assertThat(overlapping.getCounts().getUnchanged()).isEqualTo(2);
    assertThat(overlapping.getCounts().getCreated()).isEqualTo(1);
    assertThat(report(overlapping.getId()).subList(0, 2))
        .extracting(r -> r.get("member_id"))
        .containsExactlyElementsOf(
            report(first.getId()).stream().map(r -> r.get("member_id")).toList());
    assertThat(members().findMembers("13804040001").getItems()).hasSize(1);
  }

  @Test
  void aSheetTheWorkbookDoesNotHaveIsNamedWithTheSheetsItHas() throws Exception {
    byte[] xlsx = aSheet("姓名", "手机号").row("黄磊", "13805900001").xlsx();
    var refused =
        uploadAsBrowser("会员.xlsx", xlsx, Map.of("source", "store-ningbo-59", "sheet", "十一月"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body())
        .contains("no-such-sheet")
        .contains("会员.xlsx has no sheet '十一月'; its sheets are: [会员]");

    var chosen =
        uploadAsBrowser("会员.xlsx", xlsx, Map.of("source", "store-ningbo-59", "sheet", "会员"));
    assertThat(chosen.statusCode()).isEqualTo(202);
    UUID id = UUID.fromString(chosen.body().replaceAll(".*\"id\":\"([0-9a-f-]{36})\".*", "$1"));
    assertThat(awaitCompleted(id).getCounts().getCreated()).isEqualTo(1);
  }

  @Test
  void anEmptyFileIsRefusedWithAClearMessage() {
    ApiException e = refused("empty.csv", new byte[0]);
    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getResponseBody()).contains("file-empty").contains("文件为空");
  }

  @Test
  void aFileWithOnlyAHeaderIsRefused() {
    ApiException e = refused("header.csv", aSheet("姓名", "手机号").gbkCsv());
    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getResponseBody()).contains("no-data-rows");
  }

  @Test
  void aFileThatIsNotASpreadsheetIsRefused() {
    byte[] png = {
      (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'
    };
    ApiException e = refused("members.csv", png);
    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getResponseBody()).contains("not-a-spreadsheet");
  }

  @Test
  void aHeaderThatMatchesNothingIsRefusedNamingTheColumns() {
    ApiException e = refused("odd.csv", aSheet("货号", "数量").row("A-1", "3").utf8Csv());
    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getResponseBody()).contains("no-known-column").contains("货号");
  }

  @Test
  void aFileOverTheSizeLimitGets413NamingTheLimit() {
    byte[] big = new byte[300 * 1024];
    java.util.Arrays.fill(big, (byte) 'a');
    ApiException e = refused("big.csv", big);
    assertThat(e.getCode()).isEqualTo(413);
    assertThat(e.getResponseBody()).contains("256 KB");
  }

  @Test
  void anInvalidSourceNameIsRefused() {
    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () -> upload("POS Store 12!", "a.csv", aSheet("姓名").row("张三").utf8Csv()));
    assertThat(e.getCode()).isEqualTo(400);
    assertThat(e.getResponseBody())
        .contains("source")
        .contains("lower-case letters")
        .contains("(given: POS Store 12!)");
  }

  private ApiException refused(String fileName, byte[] content) {
    return catchThrowableOfType(
        ApiException.class, () -> upload("pos-store-99", fileName, content));
  }

  private String reportText(UUID importId) throws Exception {
    return java.nio.file.Files.readString(
        imports().getImportRows(importId).toPath(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private List<CSVRecord> report(UUID importId) throws Exception {
    String csv = reportText(importId);
    return CSVFormat.DEFAULT
        .builder()
        .setHeader()
        .setSkipHeaderRecord(true)
        .get()
        .parse(new StringReader(csv))
        .getRecords();
  }
}
