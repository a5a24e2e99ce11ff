package com.onemember.hub.tags;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.api.client.OutboundApi;
import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.GoldenEvent;
import com.onemember.api.client.model.GoldenEventType;
import com.onemember.api.client.model.ImportJob;
import com.onemember.api.client.model.Lineage;
import com.onemember.api.client.model.Member;
import com.onemember.api.client.model.Tag;
import com.onemember.api.client.model.TagRequest;
import com.onemember.hub.support.HubIT;
import com.onemember.mdm.ingest.TagSweep;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Tags from config/mdm/tags.yaml on purchases the sources report, added up across systems; the
 * sweep for rules that change with the date; tags given by hand; each change an event.
 */
class TagsIT extends HubIT {

  @Autowired TagSweep sweep;

  @Test
  void purchasesAcrossSystemsEarnTagsWithTheirReasonsAndTheSweepKeepsThemCurrent()
      throws Exception {
    LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    String birthday = "1974-%02d-18".formatted(today.getMonthValue());
    LocalDate recent = today.minusDays(20);
    // a GBK export writes the yuan sign full-width (￥): GBK has no ¥
    ImportJob pos =
        importAndWait(
            "pos-store-88",
            "pos.csv",
            aSheet("会员卡号", "姓名", "手机号", "生日", "订单数", "消费总额", "最近消费时间", "门店")
                .row(
                    "8800001",
                    "何炅",
                    "13708800001",
                    birthday,
                    "2",
                    "￥1,800.00",
                    recent + " 19:30",
                    "杭州西湖店")
                .gbkCsv());
    assertThat(pos.getCounts().getRejected()).isZero();
    ImportJob web =
        importAndWait(
            "web-shop-88",
            "orders.csv",
            aSheet("客户编号", "姓名", "手机号", "订单数", "消费总额", "最近消费时间")
                .row("w88-1", "何炅", "137 0880 0001", "2", "650.5元", "2025-12-01")
                // an order count nobody can add up: she goes in without it, with a warning
                .row("w88-2", "谢娜", "13708800002", "三单", "100", "2025-12-01")
                .row("w88-3", "李维嘉", "13708800003", "1", "99", "2025-12-01")
                .utf8Csv());
    assertThat(web.getCounts().getRejected()).isZero();
    assertThat(web.getCounts().getWarnings()).isEqualTo(1);
    String report =
        new String(
            java.nio.file.Files.readAllBytes(imports().getImportRows(web.getId()).toPath()),
            StandardCharsets.UTF_8);
    assertThat(report).contains("三单").contains("is not a whole number");
    assertThat(members().findMembers("13708800002").getItems()).hasSize(1);
    assertThat(members().findMembers("13708800003").getItems()).hasSize(1);

    Member he = only("13708800001");
    assertThat(he.getPurchases().getOrders()).isEqualTo(4);
    assertThat(he.getPurchases().getSpent()).isEqualByComparingTo(new BigDecimal("2450.50"));
    assertThat(he.getPurchases().getStores()).containsExactly("杭州西湖店");
    assertThat(ruleTags(he)).containsExactlyInAnyOrder("忠实客户", "生日月", "银卡会员");
    Lineage loyal = lineage(he, "忠实客户");
    assertThat(loyal.getRule()).isEqualTo("TAG_RULE");
    assertThat(loyal.getReason()).contains("4 orders ≥ 3");
    assertThat(loyal.getSources()).hasSize(2);

    // 120 days on, without anything sent: asleep, and no longer the birthday month
    Instant later = Instant.now().plus(Duration.ofDays(120));
    long before = lastChangePosition();
    assertThat(sweep.sweep(later)).isPositive();
    Member asleep = members().getMember(he.getId());
    assertThat(ruleTags(asleep)).containsExactlyInAnyOrder("忠实客户", "沉睡客户", "银卡会员");
    assertThat(events(he.getId(), before))
        .extracting(GoldenEvent::getType)
        .contains(GoldenEventType.TAGS_CHANGED);
    // a second sweep at the same time changes nothing
    long version = asleep.getVersion();
    sweep.sweep(later);
    assertThat(members().getMember(he.getId()).getVersion()).isEqualTo(version);
    sweep.sweep(Instant.now()); // back to today for the other tests' members

    // by hand, with a reason; taken away again; rule tags cannot be
    before = lastChangePosition();
    Member tagged =
        members()
            .addMemberTag(
                he.getId(), new TagRequest().name("店长推荐").note("老顾客，常带朋友来 / brings friends"));
    assertThat(tagged.getTags()).contains(new Tag().name("店长推荐").source("manual"));
    assertThat(lineage(tagged, "店长推荐").getReason()).contains("brings friends");
    assertThat(events(he.getId(), before))
        .singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo(GoldenEventType.TAGS_CHANGED));
    Member untagged = members().removeMemberTag(he.getId(), "店长推荐");
    assertThat(untagged.getTags()).extracting(Tag::getName).doesNotContain("店长推荐");
    assertThatThrownBy(() -> members().removeMemberTag(he.getId(), "忠实客户"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    assertThatThrownBy(
            () -> members().addMemberTag(he.getId(), new TagRequest().name(" ").note("x")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(400));
  }

  private Member only(String phone) throws ApiException {
    List<Member> found = members().findMembers(phone).getItems();
    assertThat(found).as(phone).hasSize(1);
    return found.get(0);
  }

  private static List<String> ruleTags(Member m) {
    return m.getTags().stream()
        .filter(t -> "rule".equals(t.getSource()))
        .map(Tag::getName)
        .toList();
  }

  private static Lineage lineage(Member m, String tag) {
    return m.getLineage().stream()
        .filter(l -> l.getAttribute().equals("tags") && l.getValue().startsWith(tag + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no lineage for tag " + tag + ": " + m.getLineage()));
  }

  private List<GoldenEvent> events(UUID member, long after) throws ApiException {
    return new OutboundApi(apiClient())
        .listChanges(Long.toString(after), 1000).getItems().stream()
            .filter(e -> e.getMemberId().equals(member))
            .toList();
  }
}
