/**
 * Member exports uploaded by store staff ({@code POST /api/v1/imports}): the file is read and its
 * columns recognised (connectors' spreadsheet package), every data row is recorded in the import
 * ledger with its outcome, rows that could be read go to {@code onemember.inbound} as source
 * records, and the per-row report tells staff which rows to fix. The ledger row is the import's
 * memory of a row even when the row was refused, so nothing sent is lost.
 */
package com.onemember.hub.imports;
