package com.onemember.connectors.spreadsheet;

import static com.onemember.connectors.spreadsheet.UnreadableFileException.FILE_EMPTY;
import static com.onemember.connectors.spreadsheet.UnreadableFileException.MIXED_ENCODINGS;
import static com.onemember.connectors.spreadsheet.UnreadableFileException.NOT_A_SPREADSHEET;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV upload decoded to text. Chinese store systems and Excel's "CSV" save in GBK while web shops
 * and Excel's "CSV UTF-8" save in UTF-8, with or without a byte order mark, and nobody labels the
 * file; so the encoding is inferred: a GBK file of Chinese text is practically never valid UTF-8,
 * which makes a strict UTF-8 decode the deciding test. GB18030 is used for the fallback because it
 * is a superset of GBK and GB2312 and decodes every file they produce.
 */
final class CsvText {

  static final Charset GB18030 = Charset.forName("GB18030");

  private static final char[] DELIMITERS = {',', '\t', ';'};

  private final String text;
  private final String encoding;

  private CsvText(String text, String encoding) {
    this.text = text;
    this.encoding = encoding;
  }

  /** {@code "UTF-8"} or {@code "GB18030"}. */
  String encoding() {
    return encoding;
  }

  /**
   * A file pasted together from a GBK export and a UTF-8 one decodes "successfully" as GB18030,
   * with the UTF-8 lines turned into nonsense names. Lines that are valid UTF-8 with Chinese in
   * them beside lines that are not UTF-8 at all give it away: the file is refused, naming one of
   * each.
   */
  private static void refuseMixedEncodings(byte[] content, String shownName)
      throws UnreadableFileException {
    int utf8Line = 0;
    int otherLine = 0;
    int line = 1;
    int start = 0;
    for (int i = 0; i <= content.length && (utf8Line == 0 || otherLine == 0); i++) {
      if (i == content.length || content[i] == '\n') {
        byte[] bytes = java.util.Arrays.copyOfRange(content, start, i);
        if (!isAscii(bytes)) {
          String utf8 = strictDecode(bytes, 0, StandardCharsets.UTF_8);
          if (utf8 == null) {
            otherLine = otherLine == 0 ? line : otherLine;
          } else if (utf8.codePoints().filter(c -> c >= 0x4E00 && c <= 0x9FFF).count() >= 2) {
            utf8Line = utf8Line == 0 ? line : utf8Line;
          }
        }
        line++;
        start = i + 1;
      }
    }
    if (utf8Line > 0 && otherLine > 0) {
      throw new UnreadableFileException(
          MIXED_ENCODINGS,
          "「%s」混用了两种编码：第 %d 行是 UTF-8，第 %d 行是 GBK。请把它们分成两个文件，或在 Excel 中统一另存为「CSV UTF-8」/ %s mixes two encodings: line %d is UTF-8, line %d is GBK. Split it into two files, or save it from Excel as \"CSV UTF-8\"."
              .formatted(shownName, utf8Line, otherLine, shownName, utf8Line, otherLine));
    }
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  static CsvText decode(byte[] content, String shownName) throws UnreadableFileException {
    if (startsWith(content, 0xFF, 0xFE) || startsWith(content, 0xFE, 0xFF)) {
      throw new UnreadableFileException(
          NOT_A_SPREADSHEET,
          "「%s」是 UTF-16 编码的文本，请在 Excel 中另存为「CSV UTF-8」或 .xlsx / %s is UTF-16 text; save it from Excel as \"CSV UTF-8\" or as .xlsx."
              .formatted(shownName, shownName));
    }
    for (byte b : content) {
      if (b == 0) {
        throw notASpreadsheet(shownName);
      }
    }
    String text;
    String encoding;
    if (startsWith(content, 0xEF, 0xBB, 0xBF)) {
      encoding = "UTF-8";
      text = strictDecode(content, 3, StandardCharsets.UTF_8);
      if (text == null) {
        throw new UnreadableFileException(
            NOT_A_SPREADSHEET,
            "「%s」标明是 UTF-8，但内容不是有效的 UTF-8，文件可能已损坏 / %s says it is UTF-8 but is not valid UTF-8; the file may be damaged."
                .formatted(shownName, shownName));
      }
    } else {
      encoding = "UTF-8";
      text = strictDecode(content, 0, StandardCharsets.UTF_8);
      if (text == null) {
        refuseMixedEncodings(content, shownName);
        encoding = "GB18030";
        text = strictDecode(content, 0, GB18030);
      }
      if (text == null) {
        throw new UnreadableFileException(
            NOT_A_SPREADSHEET,
            "「%s」既不是 UTF-8 也不是 GBK 编码的文本，请另存为「CSV UTF-8」或 .xlsx / %s is neither UTF-8 nor GBK text; save it as \"CSV UTF-8\" or as .xlsx."
                .formatted(shownName, shownName));
      }
    }
    text = trimMarkers(text);
    if (CellText.isBlank(text)) {
      throw new UnreadableFileException(FILE_EMPTY, "文件为空 / The file is empty.");
    }
    if (hasManyControlCharacters(text)) {
      throw notASpreadsheet(shownName);
    }
    if (looksLikeMarkup(text)) {
      throw new UnreadableFileException(
          NOT_A_SPREADSHEET,
          "「%s」是网页（HTML/XML）格式，只是名字像表格；请用 Excel 打开后另存为 .xlsx / %s is a web page (HTML/XML) with a spreadsheet name; open it in Excel and save it as .xlsx."
              .formatted(shownName, shownName));
    }
    return new CsvText(text, encoding);
  }

  static UnreadableFileException notASpreadsheet(String shownName) {
    return new UnreadableFileException(
        NOT_A_SPREADSHEET,
        "「%s」不是 CSV 或 Excel（.xlsx）文件 / %s is not a CSV or Excel (.xlsx) file."
            .formatted(shownName, shownName));
  }

  /** The delimiter that occurs most often outside quotes in the header line; comma on a tie. */
  char delimiter() {
    String header = firstNonBlankLine();
    int best = 0;
    char chosen = ',';
    for (char candidate : DELIMITERS) {
      int count = countOutsideQuotes(header, candidate);
      if (count > best) {
        best = count;
        chosen = candidate;
      }
    }
    return chosen;
  }

  RowSource rows(String shownName) {
    CSVFormat format =
        CSVFormat.RFC4180
            .builder()
            .setDelimiter(delimiter())
            .setIgnoreEmptyLines(true)
            .setTrailingData(true)
            .setLenientEof(true)
            .get();
    CSVParser parser;
    try {
      parser = CSVParser.parse(text, format);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Iterator<CSVRecord> records = parser.iterator();
    return () -> {
      try {
        return records.hasNext() ? records.next().toList() : null;
      } catch (UncheckedIOException e) {
        throw new UnreadableFileException(
            NOT_A_SPREADSHEET,
            "「%s」第 %d 行附近的 CSV 格式有误（多半是引号不配对） / %s has broken CSV near line %d (most likely an unbalanced quote)."
                .formatted(
                    shownName,
                    parser.getCurrentLineNumber(),
                    shownName,
                    parser.getCurrentLineNumber()),
            e);
      }
    };
  }

  private String firstNonBlankLine() {
    for (String line : text.split("\r\n|\r|\n")) {
      if (!CellText.isBlank(line)) {
        return line;
      }
    }
    return "";
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

  private static String strictDecode(byte[] content, int offset, Charset charset) {
    try {
      return charset
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content, offset, content.length - offset))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Drops a decoded byte order mark (GB18030 has one too) and the Ctrl-Z end-of-file marker that
   * old DOS-era POS exports still append, so neither ends up in a header or a cell.
   */
  private static String trimMarkers(String text) {
    int start = text.startsWith("\uFEFF") ? 1 : 0;
    int end = text.length();
    while (end > start && text.charAt(end - 1) == '\u001A') {
      end--;
    }
    return text.substring(start, end);
  }

  /**
   * Text exports contain tabs and line breaks but hardly any other control character; binary files
   * that happen to decode (images, archives without a signature we know) contain many.
   */
  private static boolean hasManyControlCharacters(String text) {
    int count = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        count++;
      }
    }
    return count > Math.max(1, text.length() / 100);
  }

  /**
   * Many Chinese back-office systems "export to Excel" as an HTML table or XML Spreadsheet 2003
   * named .xls; parsed as CSV they would yield one garbage column, so name the real cause.
   */
  private static boolean looksLikeMarkup(String text) {
    String head = CellText.strip(text.substring(0, Math.min(text.length(), 512)));
    String lower = head.toLowerCase(Locale.ROOT);
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
