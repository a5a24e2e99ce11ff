/**
 * Reading member exports that store staff upload by hand (CSV from a POS or web shop, or an .xlsx a
 * clerk kept) and turning each row into a {@link com.onemember.canonical.SourceRecord}. This
 * package owns everything that depends on the file itself: telling CSV from a workbook by its
 * bytes, guessing GBK versus UTF-8 and the delimiter, rendering Excel cells as the clerk saw them,
 * recognising Chinese and English column names, and flagging cells that must not be trusted
 * (formulas, over-long values). It deliberately does not judge values: whether a phone number or a
 * birthday is valid is the MDM standardizers' business, so a connector cannot silently drop data
 * that a better standardizer could have saved. A flagged cell is a warning on its row, never a
 * reason to drop the row: the cell stays in the raw record and is left out of the member's fields.
 * Warnings are in Chinese and English because the people who fix the file are store staff.
 */
package com.onemember.connectors.spreadsheet;
