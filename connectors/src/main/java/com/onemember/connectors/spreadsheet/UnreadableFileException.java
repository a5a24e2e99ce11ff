package com.onemember.connectors.spreadsheet;

/**
 * The upload as a whole cannot be imported. The message is meant for the store staff who uploaded
 * it: Chinese first, then English, separated by {@code " / "}, and it says what to do about it.
 * Callers branch on {@link #code()}, which is stable, never on the message.
 */
public final class UnreadableFileException extends Exception {

  private static final long serialVersionUID = 1L;

  /** No bytes, or only whitespace. */
  public static final String FILE_EMPTY = "file-empty";

  /** A header row but no non-blank row under it. */
  public static final String NO_DATA_ROWS = "no-data-rows";

  /** Binary content, an unknown text encoding, a web page or a zip that is not a workbook. */
  public static final String NOT_A_SPREADSHEET = "not-a-spreadsheet";

  /** An OLE2 file: a pre-2007 .xls or an encrypted (password-protected) workbook. */
  public static final String UNSUPPORTED_WORKBOOK = "unsupported-workbook";

  /** More data rows than {@link SpreadsheetLimits#maxRows()}. */
  public static final String TOO_MANY_ROWS = "too-many-rows";

  /** A workbook without the sheet the upload named. */
  public static final String NO_SUCH_SHEET = "no-such-sheet";

  /** A CSV whose lines are in different encodings (GBK and UTF-8 pasted together). */
  public static final String MIXED_ENCODINGS = "mixed-encodings";

  /** A workbook that would expand far beyond its size or beyond what a member list needs. */
  public static final String ZIP_BOMB = "zip-bomb";

  /** No header names anything that could identify a member. */
  public static final String NO_KNOWN_COLUMN = "no-known-column";

  private final String code;

  UnreadableFileException(String code, String message) {
    super(message);
    this.code = code;
  }

  UnreadableFileException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** One of the kebab-case constants of this class. */
  public String code() {
    return code;
  }
}
