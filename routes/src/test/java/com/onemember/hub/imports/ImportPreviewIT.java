package com.onemember.hub.imports;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.ColumnChoice;
import com.onemember.api.client.model.ImportJob;
import com.onemember.api.client.model.ImportPreview;
import com.onemember.api.client.model.ImportStatus;
import com.onemember.api.client.model.MappingChoices;
import com.onemember.api.client.model.MappingTemplate;
import com.onemember.api.client.model.MemberFieldChoice;
import com.onemember.api.client.model.PreviewConfirmation;
import com.onemember.api.client.model.PreviewRow;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.MemberSheet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Preview before commit, the mapping templates it can save, and a file refused further in than its
 * header: over real HTTP, PostgreSQL and Artemis.
 */
class ImportPreviewIT extends HubIT {

  @Autowired JdbcTemplate jdbc;

  /**
   * A store sheet whose phone column is headed 客户联络方式, which no alias knows: the preview shows it
   * unmapped, the steward maps it to MOBILE, sees the sample rows standardized with it, the values
   * that would be left out with why, and the one row that would be refused; confirms with "save as
   * template"; the next file from the store needs no preview.
   */
  @Test
  void aCorrectedPreviewImportsWithItsMappingAndSavesItForTheSourcesNextFiles() throws Exception {
    String source = "store-preview-" + UUID.randomUUID().toString().substring(0, 8);
    MemberSheet sheet = aSheet("姓名", "客户联络方式", "生日");
    sheet.row("周杰", "139 1001 2001", "1988-07-12");
    sheet.row("吴敏", "139-1001-2002", "1990年5月3日");
    sheet.row("郑洁", "13910012003", "1993.13.45"); // no such date: kept without it, with why
    sheet.row("钱磊", "13910012004", "=TODAY()"); // a formula: kept without it
    sheet.row("", "", "1991-02-03"); // nobody: rejected, with why
    byte[] csv = sheet.gbkCsv();

    ImportPreview preview = imports().createImportPreview(file("门店会员.csv", csv), source, null);

    assertThat(preview.getEncoding()).isEqualTo("GB18030");
    assertThat(preview.getHeaders()).containsExactly("姓名", "客户联络方式", "生日");
    assertThat(preview.getRowsEstimate()).isEqualTo(5);
    assertThat(choice(preview, "客户联络方式").getField()).isEqualTo(MemberFieldChoice.IGNORE);
    assertThat(preview.getUnmappedColumns()).containsExactly("客户联络方式");
    assertThat(preview.getCanImport()).isTrue(); // the name alone identifies

    ImportPreview corrected =
        imports()
            .correctImportPreviewMapping(
                preview.getId(),
                new MappingChoices()
                    .addMappingItem(
                        new ColumnChoice().header("客户联络方式").field(MemberFieldChoice.MOBILE)));

    assertThat(choice(corrected, "客户联络方式").getField()).isEqualTo(MemberFieldChoice.MOBILE);
    assertThat(choice(corrected, "客户联络方式").getDecidedBy())
        .isEqualTo(ColumnChoice.DecidedByEnum.CHOSEN);
    assertThat(choice(corrected, "姓名").getDecidedBy()).isEqualTo(ColumnChoice.DecidedByEnum.HEADER);
    assertThat(corrected.getSampleRows()).hasSize(5);
    PreviewRow first = corrected.getSampleRows().get(0);
    assertThat(first.getStandardized())
        .containsEntry("name", "周杰")
        .containsEntry("mobile", "13910012001")
        .containsEntry("birthday", "1988-07-12");
    assertThat(first.getWarnings()).isEmpty();
    PreviewRow badDate = corrected.getSampleRows().get(2);
    assertThat(badDate.getErrors()).isEmpty();
    assertThat(badDate.getStandardized())
        .containsEntry("mobile", "13910012003")
        .doesNotContainKey("birthday");
    assertThat(badDate.getWarnings()).singleElement().asString().contains("1993.13.45");
    PreviewRow formula = corrected.getSampleRows().get(3);
    assertThat(formula.getErrors()).isEmpty();
    assertThat(formula.getWarnings())
        .singleElement()
        .asString()
        .contains("「生日」是公式")
        .contains("column 生日 holds a formula");
    assertThat(corrected.getRowsChecked()).isEqualTo(5);
    assertThat(corrected.getWarningCount()).isEqualTo(2);
    assertThat(corrected.getRejectedCount()).isEqualTo(1);
    assertThat(corrected.getRejectedRows()).extracting(PreviewRow::getRow).containsExactly(5);
    assertThat(corrected.getRejectedRows().get(0).getErrors())
        .anyMatch(e -> e.contains("no name and no phone"));
    // nothing was imported by looking
    assertThat(count("select count(*) from import_job where source = ?", source)).isZero();

    ImportJob job =
        awaitCompleted(
            imports()
                .confirmImportPreview(
                    preview.getId(), new PreviewConfirmation().saveAsTemplate(true))
                .getId());
    assertThat(job.getCounts().getRows()).isEqualTo(5);
    assertThat(job.getCounts().getRejected()).isEqualTo(1);
    assertThat(job.getCounts().getWarnings()).isEqualTo(2);
    assertThat(job.getMapping())
        .anyMatch(c -> c.getHeader().equals("客户联络方式") && c.getField() == MemberFieldChoice.MOBILE);
    assertThat(mobilesOf(source))
        .contains("13910012001", "13910012002", "13910012003", "13910012004");
    // the preview is used up
    assertThat(
            catchThrowableOfType(
                    ApiException.class, () -> imports().getImportPreview(preview.getId()))
                .getCode())
        .isEqualTo(404);

    MappingTemplate template = imports().getMappingTemplate(source);
    assertThat(template.getUpdatedBy()).isNotBlank();
    assertThat(template.getMapping())
        .anyMatch(c -> c.getHeader().equals("客户联络方式") && c.getField() == MemberFieldChoice.MOBILE);

    // the store's next export, uploaded straight away: the template maps the phone column
    byte[] next = aSheet("姓名", "客户联络方式").row("冯丽", "13910012005").gbkCsv();
    awaitCompleted(upload(source, "门店会员-12月.csv", next).getId());
    assertThat(mobilesOf(source)).contains("13910012005");

    imports().deleteMappingTemplate(source);
    assertThat(
            catchThrowableOfType(ApiException.class, () -> imports().getMappingTemplate(source))
                .getCode())
        .isEqualTo(404);
  }

  @Test
  void aHeaderThatMatchesNothingIsPreviewedNamingTheColumnsItCouldNotMap() throws Exception {
    byte[] csv = aSheet("货号", "数量").row("A-1", "3").utf8Csv();

    ImportPreview preview = imports().createImportPreview(file("odd.csv", csv), "store-odd", null);

    assertThat(preview.getCanImport()).isFalse();
    assertThat(preview.getUnmappedColumns()).containsExactly("货号", "数量");
    assertThat(preview.getProblem()).contains("货号").contains("数量").contains("No column identifies");
    ApiException refused =
        catchThrowableOfType(
            ApiException.class, () -> imports().confirmImportPreview(preview.getId(), null));
    assertThat(refused.getCode()).isEqualTo(422);
    assertThat(refused.getResponseBody()).contains("no-known-column");
  }

  @Test
  void aTemplateNamingAFieldThatDoesNotExistIsRefused() throws Exception {
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(baseUrl() + "/api/v1/sources/store-x/mapping-template"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/json")
                    .PUT(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"mapping\":[{\"header\":\"电话\",\"field\":\"PHONE_NUMBER\"}]}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("PHONE_NUMBER").contains("MOBILE");
  }

  /**
   * A workbook says its size only roughly, so one with more rows than the hub's limit (5,000 in
   * these tests) is found out while it is read: the upload is accepted, the import ends FAILED
   * naming the limit, and none of the 5,000 rows read before was imported: a file is never half
   * imported.
   */
  @Test
  void aWorkbookLongerThanTheLimitFailsWholeAndImportsNothing() throws Exception {
    String source = "pos-long-" + UUID.randomUUID().toString().substring(0, 8);
    MemberSheet sheet = aSheet("会员卡号", "姓名", "手机号");
    for (int i = 1; i <= 5003; i++) {
      sheet.row("77%06d".formatted(i), "会员" + i, "1580077%04d".formatted(i));
    }

    ImportJob accepted = upload(source, "全部会员.xlsx", sheet.xlsx());
    ImportJob job =
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> imports().getImport(accepted.getId()),
                j -> j.getStatus() != ImportStatus.READING);

    assertThat(job.getStatus()).isEqualTo(ImportStatus.FAILED);
    assertThat(job.getErrorCode()).isEqualTo("too-many-rows");
    assertThat(job.getError()).contains("5000");
    assertThat(count("select count(*) from import_row where import_id = ?", job.getId())).isZero();
    assertThat(count("select count(*) from source_record where source = ?", source)).isZero();
    // the same file again is read again (a failed import is no answer), and fails again
    assertThat(upload(source, "全部会员.xlsx", sheet.xlsx()).getId()).isNotEqualTo(job.getId());
  }

  private int count(String sql, Object arg) {
    return jdbc.queryForObject(sql, Integer.class, arg);
  }

  private List<String> mobilesOf(String source) {
    return jdbc.queryForList(
        "select i->>'value' from source_record s, jsonb_array_elements(s.clean->'identifiers') i"
            + " where s.source = ? and i->>'type' = 'MOBILE'",
        String.class,
        source);
  }

  private static ColumnChoice choice(ImportPreview preview, String header) {
    return preview.getMapping().stream()
        .filter(c -> c.getHeader().equals(header))
        .findFirst()
        .orElseThrow();
  }
}
