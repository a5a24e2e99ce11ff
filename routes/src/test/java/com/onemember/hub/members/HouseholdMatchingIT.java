package com.onemember.hub.members;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.api.client.model.Member;
import com.onemember.api.client.model.Review;
import com.onemember.api.client.model.ReviewStatus;
import com.onemember.api.client.model.ReviewVerdict;
import com.onemember.hub.support.HubIT;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Households share phones: the ingest must not merge them, but must merge a homophone typo. */
class HouseholdMatchingIT extends HubIT {

  @Test
  void husbandAndWifeSharingAPhoneStayTwoMembers() throws Exception {
    importAndWait(
        "pos-store-51",
        "pos.csv",
        aSheet("姓名", "手机号", "性别", "生日").row("陈建国", "13916882345", "男", "1968-04-12").gbkCsv());
    importAndWait(
        "store-hangzhou-51",
        "sheet.xlsx",
        aSheet("客户姓名", "联系电话", "性别", "生日").row("刘芳", "139 1688 2345", "女", "1970-09-30").xlsx());

    List<Member> found = members().findMembers("+86 139 1688 2345").getItems();
    assertThat(found).extracting(Member::getName).containsExactlyInAnyOrder("陈建国", "刘芳");
  }

  @Test
  void aHomophoneTypoWithTheSamePhoneAndBirthdayJoinsTheMember() throws Exception {
    importAndWait(
        "pos-store-52",
        "pos.csv",
        aSheet("姓名", "手机号", "生日").row("王伟", "13705520001", "1985-06-01").gbkCsv());
    importAndWait(
        "store-52",
        "sheet.csv",
        aSheet("姓名", "手机号", "生日").row("王玮", "137-0552-0001", "1985.6.1").utf8Csv());

    List<Member> found = members().findMembers("13705520001").getItems();
    assertThat(found).hasSize(1);
    assertThat(found.get(0).getSourceRecords()).hasSize(2);
  }

  @Test
  void aTitleOnlyNameWithTheSamePhoneGoesToAStewardInsteadOfBeingMergedSilently() throws Exception {
    importAndWait(
        "pos-store-53",
        "pos.csv",
        aSheet("姓名", "手机号", "性别").row("李娜", "13705530001", "女").gbkCsv());
    importAndWait(
        "store-53", "sheet.csv", aSheet("客户姓名", "联系电话").row("李女士", "13705530001").utf8Csv());
    importAndWait(
        "store-54", "sheet.csv", aSheet("客户姓名", "联系电话").row("李先生", "13705530001").utf8Csv());

    // a phone shared in a family and a surname are not enough to merge: 李女士 may be 李娜's
    // daughter; a steward sees the pair, while 李先生 (another gender) is not even a question
    List<Member> found = members().findMembers("13705530001").getItems();
    assertThat(found).extracting(Member::getName).containsExactlyInAnyOrder("李娜", "李女士", "李先生");
    Member lina = found.stream().filter(m -> "李娜".equals(m.getName())).findFirst().orElseThrow();
    List<Review> aboutLina =
        reviews()
            .listReviews(ReviewStatus.OPEN, null, null, null, null, null, 200)
            .getItems()
            .stream()
            .filter(r -> r.getCandidateMember().getId().equals(lina.getId()))
            .toList();
    assertThat(aboutLina)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getRecordMember().getName()).isEqualTo("李女士");
              assertThat(r.getVerdict()).isEqualTo(ReviewVerdict.REVIEW);
              assertThat(r.getProbability()).isBetween(0.5, 0.95);
            });
  }
}
