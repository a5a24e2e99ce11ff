package com.onemember.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Cells a spreadsheet program would evaluate are exported as text. */
class ExportCellsTest {

  @Test
  void formulaStartsGetAnApostropheAndOtherTextStaysAsItIs() {
    assertThat(ExportCells.neutral("=HYPERLINK(\"http://x\",\"点我\")"))
        .isEqualTo("'=HYPERLINK(\"http://x\",\"点我\")");
    assertThat(ExportCells.neutral("+cmd|' /C calc'!A0")).isEqualTo("'+cmd|' /C calc'!A0");
    assertThat(ExportCells.neutral("-2+3")).isEqualTo("'-2+3");
    assertThat(ExportCells.neutral("@SUM(1+1)")).isEqualTo("'@SUM(1+1)");
    assertThat(ExportCells.neutral("\t=1+1")).isEqualTo("'\t=1+1");
    assertThat(ExportCells.neutral("王芳")).isEqualTo("王芳");
    assertThat(ExportCells.neutral("pos-store-12:card:8800123"))
        .isEqualTo("pos-store-12:card:8800123");
    assertThat(ExportCells.neutral("")).isEmpty();
    assertThat(ExportCells.neutral(null)).isNull();
  }
}
