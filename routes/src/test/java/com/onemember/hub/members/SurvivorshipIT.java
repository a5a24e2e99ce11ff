package com.onemember.hub.members;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.api.client.model.AttributeChange;
import com.onemember.api.client.model.Lineage;
import com.onemember.api.client.model.LineageSource;
import com.onemember.api.client.model.Member;
import com.onemember.api.client.model.MemberVersion;
import com.onemember.hub.support.HubIT;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sources that disagree about a person: the golden record takes each value by the rules of
 * config/mdm/survivorship.yaml and says, value by value, which source record it came from.
 */
class SurvivorshipIT extends HubIT {

  @Test
  void conflictingSourcesArePickedByTrustAndSourceTimeWithLineage() throws Exception {
    // Two web-shop accounts of one woman. The file lists the newer change first, so the older one
    // is matched last: the list order must not decide, the shop's own 更新时间 must.
    importAndWait(
        "web-shop",
        "customers.csv",
        aSheet("客户编号", "姓名", "手机号", "生日", "更新时间")
            .row("97001", "陈菁", "13909700001", "1988-02-14", "2026-06-01 10:00:00")
            .row("97002", "陈晶", "13909700001", "1988-02-14", "2025-01-01 09:00:00")
            .utf8Csv());
    Member shop = members().findMembers("13909700001").getItems().get(0);
    assertThat(shop.getSourceRecords()).hasSize(2);
    assertThat(shop.getName()).isEqualTo("陈菁");
    Lineage name = lineage(shop, "name");
    assertThat(name.getRule()).isEqualTo("MOST_RECENT");
    assertThat(name.getSources().get(0).getSourceRecordId()).endsWith("97001");
    assertThat(name.getSources().get(0).getSourceUpdatedAt()).isNotNull();

    // The store's POS knew her first, and is trusted more than the web shop.
    importAndWait(
        "pos-store-97",
        "pos.csv",
        aSheet("会员卡号", "姓名", "性别", "手机号", "生日", "更新时间")
            .row("8897001", "陈静", "女", "139 0970 0001", "1988年2月14日", "2023-03-01 18:30:00")
            .gbkCsv());
    Member golden = members().getMember(shop.getId());
    assertThat(golden.getSourceRecords()).hasSize(3);
    assertThat(golden.getName()).isEqualTo("陈静");
    name = lineage(golden, "name");
    assertThat(name.getRule()).isEqualTo("SOURCE_TRUST");
    assertThat(name.getReason()).contains("pos-store-97 (90) over web-shop (60)");
    assertThat(name.getSources())
        .extracting(LineageSource::getSource)
        .containsExactly("pos-store-97");
    // only the POS states a gender; the birthday all three agree on names all three
    assertThat(lineage(golden, "gender").getSources()).hasSize(1);
    assertThat(lineage(golden, "birthday").getRule()).isEqualTo("AGREED");
    assertThat(lineage(golden, "birthday").getSources()).hasSize(3);
    assertThat(golden.getLineage())
        .filteredOn(l -> l.getAttribute().equals("identifiers"))
        .anySatisfy(
            l -> {
              assertThat(l.getValue()).startsWith("MOBILE");
              assertThat(l.getRule()).isEqualTo("UNION");
              assertThat(l.getSources()).hasSize(3);
            });

    // the history says what changed and why
    List<MemberVersion> versions = members().getMemberHistory(shop.getId()).getVersions();
    MemberVersion last = versions.get(versions.size() - 1);
    assertThat(last.getCause()).contains("pos-store-97");
    assertThat(last.getChanges())
        .extracting(AttributeChange::getAttribute)
        .contains("name", "gender");
  }

  private static Lineage lineage(Member member, String attribute) {
    return member.getLineage().stream()
        .filter(l -> l.getAttribute().equals(attribute))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no lineage for " + attribute + ": " + member.getLineage()));
  }
}
