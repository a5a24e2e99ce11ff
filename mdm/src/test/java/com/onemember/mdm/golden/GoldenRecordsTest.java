package com.onemember.mdm.golden;

import static com.onemember.mdm.matching.Records.aRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.Gender;
import com.onemember.canonical.Member;
import com.onemember.mdm.standardize.StandardizedRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GoldenRecordsTest {

  private final UUID id = UUID.randomUUID();
  private final Instant t = Instant.parse("2026-11-01T00:00:00Z");

  @Test
  void theNewestSourceValueWinsWhateverTheListOrder() {
    StandardizedRecord old =
        aRecord()
            .name("王伟")
            .birthday("1985-06-01")
            .updatedAt("2025-01-01T00:00:00Z")
            .mobile("13812345678")
            .build();
    StandardizedRecord recent =
        aRecord()
            .name("王玮")
            .updatedAt("2026-03-01T00:00:00Z")
            .mobile("13812345678")
            .email("ww@qq.com")
            .build();
    List<StandardizedRecord> records = new ArrayList<>(List.of(old, recent));
    Member a = GoldenRecords.survive(id, 1, t, t, records);
    Collections.reverse(records);
    Member b = GoldenRecords.survive(id, 1, t, t, records);

    assertThat(a).isEqualTo(b);
    assertThat(a.name()).isEqualTo("王玮");
    assertThat(a.birthday()).isEqualTo("1985-06-01");
    assertThat(a.identifiers()).hasSize(2);
  }

  @Test
  void aFullNameBeatsANewerTitleAndTheTitleStillGivesTheGender() {
    StandardizedRecord full =
        aRecord().name("李娜").updatedAt("2025-01-01T00:00:00Z").mobile("13812345678").build();
    StandardizedRecord title =
        aRecord().name("李女士").updatedAt("2026-01-01T00:00:00Z").mobile("13812345678").build();
    Member m = GoldenRecords.survive(id, 1, t, t, List.of(title, full));
    assertThat(m.name()).isEqualTo("李娜");
    assertThat(m.gender()).isEqualTo(Gender.FEMALE);
  }

  @Test
  void aDatedBirthdayBeatsAYearlessOne() {
    StandardizedRecord yearless =
        aRecord().name("冯梅").birthday("5月3日").updatedAt("2026-01-01T00:00:00Z").build();
    StandardizedRecord dated =
        aRecord().name("冯梅").birthday("1990-05-03").updatedAt("2025-01-01T00:00:00Z").build();
    assertThat(GoldenRecords.survive(id, 1, t, t, List.of(yearless, dated)).birthday())
        .isEqualTo("1990-05-03");
  }

  @Test
  void aChineseNameBeatsANewerRomanisedOne() {
    StandardizedRecord pos =
        aRecord().name("张伟").updatedAt("2025-01-01T00:00:00Z").mobile("13812345678").build();
    StandardizedRecord shop =
        aRecord().name("Wei Zhang").updatedAt("2026-01-01T00:00:00Z").mobile("13812345678").build();
    assertThat(GoldenRecords.survive(id, 1, t, t, List.of(shop, pos)).name()).isEqualTo("张伟");
  }
}
