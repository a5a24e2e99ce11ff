package com.onemember.hub.api;

/**
 * Text cells of the files operators download (CSV exports, the fix-and-reupload workbook) and open
 * in Excel or WPS, which evaluate a cell starting with {@code =}, {@code +}, {@code -} or {@code @}
 * (and one after a tab or carriage return) as a formula: a customer's name typed as {@code
 * =HYPERLINK(...)} in a shop would otherwise run on the operator's machine. Such a cell is shown as
 * text: in a CSV with a leading apostrophe, OWASP's advice; in a workbook by the cell's
 * quote-prefix style, which keeps the value itself as it was.
 */
public final class ExportCells {

  private ExportCells() {}

  /** Whether a program opening the file would take {@code value} for a formula. */
  public static boolean risky(String value) {
    if (value == null || value.isEmpty()) {
      return false;
    }
    char first = value.charAt(0);
    return first == '='
        || first == '+'
        || first == '-'
        || first == '@'
        || first == '\t'
        || first == '\r';
  }

  /** {@code value} as a CSV cell that is shown, never evaluated. */
  public static String neutral(String value) {
    return risky(value) ? "'" + value : value;
  }
}
