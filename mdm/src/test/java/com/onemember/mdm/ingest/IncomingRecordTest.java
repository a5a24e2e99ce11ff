package com.onemember.mdm.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Preparing a record for a decision: what is refused and what is kept with a warning. */
class IncomingRecordTest {

  private static final Instant NOW = Instant.parse("2026-12-07T02:30:00Z");

  private static SourceRecord card(String name, String note) {
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("姓名", name);
    raw.put("备注", note);
    return new SourceRecord(
        "pos-store-7",
        "VIP-0311",
        null,
        name,
        null,
        null,
        "1990-03-11",
        List.of(new Identifier(IdentifierType.MOBILE, "13812345678", null, false)),
        List.of(),
        List.of(),
        List.of(),
        null,
        raw);
  }

  @Test
  void aNulCharacterInANoteOrANameIsRemovedWithAWarningAndThePersonKept() {
    // a till's free-text note pasted from a fixed-width export: PostgreSQL refuses 0x00 in jsonb
    IncomingRecord prepared = IncomingRecord.of(card("王\0小红", "老客户\0\0"), null, NOW);

    assertThat(prepared.refused()).isNull();
    assertThat(prepared.incoming().raw()).doesNotContain("\\u0000");
    assertThat(prepared.incoming().record().name()).isEqualTo("王小红");
    assertThat(prepared.incoming().record().raw()).containsEntry("备注", "老客户");
    assertThat(prepared.incoming().clean().name().display()).isEqualTo("王小红");
    assertThat(prepared.incoming().warnings())
        .first()
        .asString()
        .startsWith(IncomingRecord.NUL_REMOVED)
        .contains("name", "raw.姓名", "raw.备注");
  }

  @Test
  void aRecordWithoutNulIsTakenAsItCame() {
    SourceRecord record = card("王小红", "老客户");

    assertThat(IncomingRecord.withoutNul(record, new java.util.ArrayList<>())).isSameAs(record);
    assertThat(IncomingRecord.of(record, null, NOW).incoming().warnings())
        .noneMatch(w -> w.startsWith(IncomingRecord.NUL_REMOVED));
  }
}
