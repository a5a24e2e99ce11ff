package com.onemember.connectors.spreadsheet;

import static com.onemember.connectors.spreadsheet.UnreadableFileException.FILE_EMPTY;
import static com.onemember.connectors.spreadsheet.UnreadableFileException.MIXED_ENCODINGS;
import static com.onemember.connectors.spreadsheet.UnreadableFileException.NOT_A_SPREADSHEET;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV upload, read from its file as a stream. Chinese store systems and Excel's "CSV" save in GBK
 * while web shops and Excel's "CSV UTF-8" save in UTF-8, with or without a byte order mark, and
 * nobody labels the file; so the encoding is inferred: a GBK file of Chinese text is practically
 * never valid UTF-8, which makes a strict UTF-8 decode the deciding test. GB18030 is used for the
 * fallback because it is a superset of GBK and GB2312 and decodes every file they produce.
 */
final class CsvText {

  static final Charset GB18030 = Charset.forName("GB18030");

  private static final char[] DELIMITERS = {',', '\t', ';'};

  private final Path file;
  private final Charset charset;
  private final int skip;
  private final String headerLine;
  private final int records;

  private CsvText(Path file, Charset charset, int skip, String headerLine, int records) {
    this.file = file;
    this.charset = charset;
    this.skip = skip;
    this.headerLine = headerLine;
    this.records = records;
  }

  /** {@code "UTF-8"} or {@code "GB18030"}. */
  String encoding() {
    return charset == GB18030 ? "GB18030" : "UTF-8";
  }

  /** Non-blank records after the header, counted outside quotes. */
  int dataRows() {
    return Math.max(0, records - 1);
  }

  /**
   * Reads the whole file once, line by line, to decide what it is before any row is used: its
   * encoding (which needs every line: one GBK line in a UTF-8 file changes everything), whether two
   * encodings were pasted together, whether it is text at all, and how many records it holds. A
   * line is never split inside a character: a line feed byte is never part of a UTF-8 or GB18030
   * multi-byte character. Only one line is held at a time.
   */
  static CsvText sniff(Path file, String shownName) throws UnreadableFileException {
    Sniffer sniffer = new Sniffer();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      byte[] head = in.readNBytes(3);
      if (startsWith(head, 0xFF, 0xFE) || startsWith(head, 0xFE, 0xFF)) {
        throw new UnreadableFileException(
            NOT_A_SPREADSHEET,
            "「%s」是 UTF-16 编码的文本，请在 Excel 中另存为「CSV UTF-8」或 .xlsx / %s is UTF-16 text; save it from Excel as \"CSV UTF-8\" or as .xlsx."
                .formatted(shownName, shownName));
      }
      sniffer.bom = startsWith(head, 0xEF, 0xBB, 0xBF);
      if (!sniffer.bom) {
        for (byte b : head) {
          sniffer.accept(b, shownName);
        }
      }
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        for (int i = 0; i < n; i++) {
          sniffer.accept(buffer[i], shownName);
        }
      }
      sniffer.endOfLine(shownName);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sniffer.result(file, shownName);
  }

  /** What the one pass over the bytes found. */
  private static final class Sniffer {
    boolean bom;
    private byte[] line = new byte[256];
    private int length;
    private boolean nonAscii;
    private int lineNo = 1;
    private int utf8Line;
    private int otherLine;
    private int neitherLine;
    private long controls;
    private long bytes;
    private boolean quoted;
    private boolean recordHasText;
    private int records;
    private String firstText;
    private byte[] firstBytes;

    void accept(byte b, String shownName) throws UnreadableFileException {
      if (b == 0) {
        throw notASpreadsheet(shownName);
      }
      bytes++;
      if (b == '\n') {
        endOfLine(shownName);
        return;
      }
      if (length == line.length) {
        line = java.util.Arrays.copyOf(line, line.length * 2);
      }
      line[length++] = b;
      if (b < 0) {
        nonAscii = true;
      } else if (b < 0x20 && b != '\t' && b != '\r' && b != 0x1A) {
        controls++;
      }
      if (b == '"') {
        quoted = !quoted;
      }
      if (b != ' ' && b != '\t' && b != '\r' && b != 0x1A && b != 0x0B && b != '\f') {
        recordHasText = true;
      }
    }

    void endOfLine(String shownName) {
      if (nonAscii) {
        String utf8 = strictDecode(line, 0, length, StandardCharsets.UTF_8);
        if (utf8 == null) {
          otherLine = otherLine == 0 ? lineNo : otherLine;
          if (neitherLine == 0 && strictDecode(line, 0, length, GB18030) == null) {
            neitherLine = lineNo;
          }
        } else if (utf8.codePoints().filter(c -> c >= 0x4E00 && c <= 0x9FFF).count() >= 2) {
          utf8Line = utf8Line == 0 ? lineNo : utf8Line;
        }
      }
      if (firstBytes == null && recordHasText) {
        firstBytes = java.util.Arrays.copyOf(line, length);
      }
      if (!quoted && recordHasText) {
        records++;
        recordHasText = false;
      }
      lineNo++;
      length = 0;
      nonAscii = false;
      if (line.length > 1 << 16) {
        line = new byte[256];
      }
    }

    CsvText result(Path file, String shownName) throws UnreadableFileException {
      if (records == 0 && !recordHasText) {
        throw new UnreadableFileException(FILE_EMPTY, "文件为空 / The file is empty.");
      }
      if (records == 0) {
        records = 1;
      }
      Charset charset = StandardCharsets.UTF_8;
      if (otherLine > 0) {
        if (bom) {
          throw new UnreadableFileException(
              NOT_A_SPREADSHEET,
              "「%s」标明是 UTF-8，但第 %d 行不是有效的 UTF-8，文件可能已损坏 / %s says it is UTF-8 but line %d is not valid UTF-8; the file may be damaged."
                  .formatted(shownName, otherLine, shownName, otherLine));
        }
        if (utf8Line > 0) {
          throw new UnreadableFileException(
              MIXED_ENCODINGS,
              "「%s」混用了两种编码：第 %d 行是 UTF-8，第 %d 行是 GBK。请把它们分成两个文件，或在 Excel 中统一另存为「CSV UTF-8」/ %s mixes two encodings: line %d is UTF-8, line %d is GBK. Split it into two files, or save it from Excel as \"CSV UTF-8\"."
                  .formatted(shownName, utf8Line, otherLine, shownName, utf8Line, otherLine));
        }
        if (neitherLine > 0) {
          throw new UnreadableFileException(
              NOT_A_SPREADSHEET,
              "「%s」既不是 UTF-8 也不是 GBK 编码的文本（第 %d 行），请另存为「CSV UTF-8」或 .xlsx / %s is neither UTF-8 nor GBK text (line %d); save it as \"CSV UTF-8\" or as .xlsx."
                  .formatted(shownName, neitherLine, shownName, neitherLine));
        }
        charset = GB18030;
      }
      // binary files that happen to decode (images, archives without a signature we know) hold
      // many control characters; text exports hardly any besides tabs and line breaks
      if (controls > Math.max(1, bytes / 100)) {
        throw notASpreadsheet(shownName);
      }
      String header = new String(firstBytes, charset);
      if (header.startsWith("\uFEFF")) {
        header = header.substring(1);
      }
      if (looksLikeMarkup(header)) {
        throw new UnreadableFileException(
            NOT_A_SPREADSHEET,
            "「%s」是网页（HTML/XML）格式，只是名字像表格；请用 Excel 打开后另存为 .xlsx / %s is a web page (HTML/XML) with a spreadsheet name; open it in Excel and save it as .xlsx."
                .formatted(shownName, shownName));
      }
      return new CsvText(file, charset, bom ? 3 : 0, header, records);
    }
  }

  static UnreadableFileException notASpreadsheet(String shownName) {
    return new UnreadableFileException(
        NOT_A_SPREADSHEET,
        "「%s」不是 CSV 或 Excel（.xlsx）文件 / %s is not a CSV or Excel (.xlsx) file."
            .formatted(shownName, shownName));
  }

  /** The delimiter that occurs most often outside quotes in the header line; comma on a tie. */
  char delimiter() {
    int best = 0;
    char chosen = ',';
    for (char candidate : DELIMITERS) {
      int count = countOutsideQuotes(headerLine, candidate);
      if (count > best) {
        best = count;
        chosen = candidate;
      }
    }
    return chosen;
  }

  /**
   * The records, parsed as they are asked for from a strict decoder over the file: a byte sequence
   * the sniffing pass let through but the decoder refuses still ends in a clear message, never in
   * replacement characters in a member's name.
   */
  RowSource rows(String shownName) throws UnreadableFileException {
    CSVFormat format =
        CSVFormat.RFC4180
            .builder()
            .setDelimiter(delimiter())
            .setIgnoreEmptyLines(true)
            .setTrailingData(true)
            .setLenientEof(true)
            .get();
    CSVParser parser;
    Reader reader;
    try {
      InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      in.skipNBytes(skip);
      reader =
          new BufferedReader(
              new InputStreamReader(
                  in,
                  charset
                      .newDecoder()
                      .onMalformedInput(CodingErrorAction.REPORT)
                      .onUnmappableCharacter(CodingErrorAction.REPORT)),
              1 << 16);
      reader.mark(1);
      if (reader.read() != '\uFEFF') {
        reader.reset();
      }
      parser = CSVParser.parse(reader, format);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Iterator<CSVRecord> records = parser.iterator();
    return new RowSource() {
      @Override
      public List<String> next() throws UnreadableFileException {
        try {
          if (!records.hasNext()) {
            return null;
          }
          List<String> cells = new ArrayList<>(records.next().toList());
          if (!records.hasNext()) {
            dropEndOfFileMarker(cells);
          }
          return cells;
        } catch (UncheckedIOException e) {
          long line = parser.getCurrentLineNumber();
          if (e.getCause() instanceof CharacterCodingException) {
            throw new UnreadableFileException(
                NOT_A_SPREADSHEET,
                "「%s」第 %d 行附近有无法识别的字符，文件可能已损坏 / %s has bytes near line %d that are not %s text; the file may be damaged."
                    .formatted(shownName, line, shownName, line, encoding()),
                e);
          }
          throw new UnreadableFileException(
              NOT_A_SPREADSHEET,
              "「%s」第 %d 行附近的 CSV 格式有误（多半是引号不配对） / %s has broken CSV near line %d (most likely an unbalanced quote)."
                  .formatted(shownName, line, shownName, line),
              e);
        }
      }

      @Override
      public void close() {
        try {
          parser.close();
        } catch (IOException e) {
          // read-only file: nothing was lost
        }
      }
    };
  }

  /**
   * Old DOS-era POS exports still end with Ctrl-Z; it must end up in neither a cell nor a row of
   * its own.
   */
  private static void dropEndOfFileMarker(List<String> cells) {
    if (cells.isEmpty()) {
      return;
    }
    String last = cells.get(cells.size() - 1);
    int end = last.length();
    while (end > 0 && last.charAt(end - 1) == '\u001A') {
      end--;
    }
    cells.set(cells.size() - 1, last.substring(0, end));
  }

  private static int countOutsideQuotes(String line, char delimiter) {
    int count = 0;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == delimiter && !quoted) {
        count++;
      }
    }
    return count;
  }

  private static String strictDecode(byte[] content, int offset, int length, Charset charset) {
    try {
      return charset
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Many Chinese back-office systems "export to Excel" as an HTML table or XML Spreadsheet 2003
   * named .xls; parsed as CSV they would yield one garbage column, so name the real cause.
   */
  private static boolean looksLikeMarkup(String firstLine) {
    String lower = CellText.strip(firstLine).toLowerCase(Locale.ROOT);
    return lower.startsWith("<?xml")
        || lower.startsWith("<!doctype")
        || lower.startsWith("<html")
        || lower.startsWith("<table")
        || lower.startsWith("<meta");
  }

  static boolean startsWith(byte[] content, int... signature) {
    if (content.length < signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((content[i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }
}
