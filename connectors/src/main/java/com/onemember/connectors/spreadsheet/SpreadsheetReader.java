package com.onemember.connectors.spreadsheet;

import static com.onemember.connectors.spreadsheet.UnreadableFileException.UNSUPPORTED_WORKBOOK;

import com.onemember.connectors.spreadsheet.Spreadsheet.Format;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads an uploaded member export into text rows, streaming: a CSV is decoded as it is parsed and a
 * workbook's sheet XML is parsed as it is inflated, so memory does not grow with the file. The
 * format is decided by the content because staff rename files freely (an .xlsx called .csv, a GBK
 * text called .xls); the file name is used only to tell them which file a message is about.
 *
 * <p>The first non-blank row is the header. A file is refused as a whole only when nothing in it
 * can be imported; a problem in a single cell is a warning on its {@link SheetRow} instead, so one
 * bad cell costs a store neither its whole upload nor the row it is in. Instances are immutable and
 * thread-safe.
 */
public final class SpreadsheetReader {

  private final SpreadsheetLimits limits;

  public SpreadsheetReader(SpreadsheetLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * @param content the uploaded bytes, never {@code null}
   * @param fileName the name the file was uploaded under, for messages only; may be {@code null}
   * @throws UnreadableFileException when no row of the file can be imported; see its codes
   */
  public Spreadsheet read(byte[] content, String fileName) throws UnreadableFileException {
    return read(content, fileName, null);
  }

  /**
   * Reads a whole, small file into memory; for uploads of any size use {@link #open}, which this
   * method reads through.
   *
   * @param sheet as for {@link #open}
   */
  public Spreadsheet read(byte[] content, String fileName, String sheet)
      throws UnreadableFileException {
    Objects.requireNonNull(content, "content");
    Path file = null;
    try {
      file = Files.createTempFile("onemember-sheet-", ".upload");
      Files.write(file, content);
      try (SheetStream stream = open(file, fileName, sheet)) {
        List<SheetRow> rows = new ArrayList<>();
        for (SheetRow row = stream.next(); row != null; row = stream.next()) {
          rows.add(row);
        }
        return new Spreadsheet(stream.format(), stream.encoding(), stream.headers(), rows);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // a temporary file left behind is the system's to clean
        }
      }
    }
  }

  /**
   * Opens an upload stored in {@code file} for reading row by row, after the checks that need the
   * whole file (a CSV's encoding, a workbook's sheet) and the header.
   *
   * @param fileName the name the file was uploaded under, for messages only; may be {@code null}
   * @param sheet the workbook sheet to read, by name or by number from 1; {@code null} for the
   *     first. A CSV has one sheet only and ignores it.
   * @throws UnreadableFileException when no row of the file can be imported; see its codes
   */
  public SheetStream open(Path file, String fileName, String sheet) throws UnreadableFileException {
    Objects.requireNonNull(file, "file");
    String shownName = fileName == null || fileName.isBlank() ? "file" : fileName.strip();
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(4);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (CsvText.startsWith(head, 0xD0, 0xCF, 0x11, 0xE0)) {
      throw new UnreadableFileException(
          UNSUPPORTED_WORKBOOK,
          "「%s」是旧版 .xls 工作簿或带密码的工作簿，无法读取；请在 Excel 中去掉密码并另存为 .xlsx / %s is an old .xls workbook or a password-protected workbook; remove the password and save it as .xlsx in Excel."
              .formatted(shownName, shownName));
    }
    if (isZip(head)) {
      XlsxSheet chosen = XlsxSheet.open(file, shownName, sheet);
      try {
        return new SheetStream(
            Format.XLSX,
            null,
            chosen.sheetName(),
            chosen.sheetNames(),
            chosen.rowsEstimate(),
            chosen,
            limits);
      } catch (UnreadableFileException | RuntimeException e) {
        chosen.close();
        throw e;
      }
    }
    CsvText text = CsvText.sniff(file, shownName);
    if (text.dataRows() > limits.maxRows()) {
      throw SheetStream.tooMany(limits);
    }
    RowSource rows = text.rows(shownName);
    try {
      return new SheetStream(
          Format.CSV, text.encoding(), null, List.of(), text.dataRows(), rows, limits);
    } catch (UnreadableFileException | RuntimeException e) {
      rows.close();
      throw e;
    }
  }

  private static boolean isZip(byte[] content) {
    return CsvText.startsWith(content, 'P', 'K', 3, 4)
        || CsvText.startsWith(content, 'P', 'K', 5, 6)
        || CsvText.startsWith(content, 'P', 'K', 7, 8);
  }
}
