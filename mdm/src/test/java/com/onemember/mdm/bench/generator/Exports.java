package com.onemember.mdm.bench.generator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes generated records as export files. Every record's {@code raw} map holds its row, keyed by
 * the column headers below, so a file is the rows of one shape in record order.
 */
final class Exports {

  static final Charset GBK = Charset.forName("GBK");

  static final List<String> POS_HEADER =
      List.of("会员卡号", "姓名", "手机号", "性别", "生日", "省份", "城市", "区县", "地址", "积分");
  static final List<String> WEB_SHOP_HEADER =
      List.of(
          "Customer ID",
          "First Name",
          "Last Name",
          "Email",
          "Phone",
          "Address1",
          "City",
          "Province",
          "Total Spent",
          "Total Orders");

  /**
   * The mini-program console's columns, then the name a member typed into the profile form and the
   * app the openid belongs to: an openid means nothing without its app.
   */
  static final List<String> WECHAT_HEADER =
      List.of("openid", "unionid", "昵称", "手机号", "性别", "生日", "姓名", "appid");

  static final List<String> STORE_SHEET_HEADER = List.of("门店", "序号", "姓名", "电话", "性别", "生日", "备注");

  private Exports() {}

  static List<Path> write(List<GeneratedRecord> records, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>(4);
    files.add(
        write(records, SourceShape.POS, POS_HEADER, dir.resolve("pos-export.csv"), GBK, false));
    files.add(
        write(
            records,
            SourceShape.WEB_SHOP,
            WEB_SHOP_HEADER,
            dir.resolve("web-shop-customers.csv"),
            StandardCharsets.UTF_8,
            false));
    files.add(
        write(
            records,
            SourceShape.WECHAT_MINI_PROGRAM,
            WECHAT_HEADER,
            dir.resolve("wechat-members.csv"),
            StandardCharsets.UTF_8,
            true));
    files.add(
        write(
            records,
            SourceShape.STORE_SHEET,
            STORE_SHEET_HEADER,
            dir.resolve("store-sheet.csv"),
            StandardCharsets.UTF_8,
            false));
    return files;
  }

  /**
   * One file. The encoder refuses unmappable characters instead of writing {@code ?}, so a value
   * GBK cannot hold fails loudly rather than corrupting the POS file.
   */
  private static Path write(
      List<GeneratedRecord> records,
      SourceShape shape,
      List<String> header,
      Path file,
      Charset charset,
      boolean byteOrderMark)
      throws IOException {
    CharsetEncoder encoder =
        charset
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get();
    try (OutputStream out = Files.newOutputStream(file);
        Writer writer = new OutputStreamWriter(out, encoder)) {
      if (byteOrderMark) {
        writer.write('\uFEFF');
      }
      CSVPrinter printer = new CSVPrinter(writer, format);
      for (GeneratedRecord r : records) {
        if (r.shape() != shape) {
          continue;
        }
        List<String> row = new ArrayList<>(header.size());
        for (String column : header) {
          row.add(r.record().raw().getOrDefault(column, ""));
        }
        printer.printRecord(row);
      }
      printer.flush();
    }
    return file;
  }
}
