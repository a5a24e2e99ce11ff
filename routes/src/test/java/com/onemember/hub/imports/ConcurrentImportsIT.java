package com.onemember.hub.imports;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.api.client.AuditApi;
import com.onemember.api.client.model.ImportJob;
import com.onemember.api.client.model.MergeAction;
import com.onemember.api.client.model.MergeLogEntry;
import com.onemember.hub.support.HubIT;
import com.onemember.hub.support.MemberSheet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Two systems send the same people at the same moment; the hub consumes with competing consumers.
 * The advisory locks on match keys must keep each person to one member.
 */
class ConcurrentImportsIT extends HubIT {

  private static final String[] NAMES = {
    "王建华", "李秀兰", "张志强", "刘桂英", "陈国强", "杨丽娟", "赵永刚", "黄淑珍", "周海涛", "吴玉梅",
    "徐建平", "孙红霞", "马文斌", "朱丽萍", "胡志勇", "郭秀云", "何建军", "高玉兰", "林志明", "罗春梅"
  };

  @Test
  void theSameFileUploadedTwiceAtTheSameMomentIsOneImport() throws Exception {
    for (int round = 0; round < 5; round++) {
      byte[] file =
          aSheet("姓名", "手机号")
              .row("宋佳" + round, "1350662000" + round)
              .row("黄渤" + round, "1350662100" + round)
              .gbkCsv();
      java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
      java.util.function.Supplier<ImportJob> uploadTogether =
          () ->
              call(
                  () -> {
                    together.await();
                    return upload("store-sh-62", "会员.csv", file);
                  });
      CompletableFuture<ImportJob> a = CompletableFuture.supplyAsync(uploadTogether);
      CompletableFuture<ImportJob> b = CompletableFuture.supplyAsync(uploadTogether);
      assertThat(a.get().getId()).as("round " + round).isEqualTo(b.get().getId());
      awaitCompleted(a.get().getId());
    }
  }

  @Test
  void theSamePeopleFromTwoSourcesAtOnceEndAsOneMemberEach() throws Exception {
    MemberSheet pos = aSheet("姓名", "手机号", "性别");
    MemberSheet shop = aSheet("Name", "Phone", "Email");
    for (int i = 0; i < NAMES.length; i++) {
      String mobile = "1350661" + String.format("%04d", i);
      pos.row(NAMES[i], mobile, i % 2 == 0 ? "男" : "女");
      shop.row(NAMES[i], "+86 " + mobile, "member" + i + "@concurrent.example.cn");
    }
    CompletableFuture<ImportJob> a =
        CompletableFuture.supplyAsync(
            () -> call(() -> upload("pos-store-61", "pos.csv", pos.gbkCsv())));
    CompletableFuture<ImportJob> b =
        CompletableFuture.supplyAsync(
            () -> call(() -> upload("web-shop-61", "shop.csv", shop.utf8Csv())));
    ImportJob first = awaitCompleted(a.get().getId());
    ImportJob second = awaitCompleted(b.get().getId());

    assertThat(first.getCounts().getCreated() + second.getCounts().getCreated())
        .isEqualTo(NAMES.length);
    assertThat(first.getCounts().getMerged() + second.getCounts().getMerged())
        .isEqualTo(NAMES.length);
    for (int i = 0; i < NAMES.length; i++) {
      assertThat(members().findMembers("1350661" + String.format("%04d", i)).getItems())
          .as(NAMES[i])
          .singleElement()
          .satisfies(m -> assertThat(m.getSourceRecords()).hasSize(2));
      // one NEW_MEMBER and one MERGE entry per person, in one unbroken chain
      UUID member =
          members().findMembers("1350661" + String.format("%04d", i)).getItems().get(0).getId();
      assertThat(
              new AuditApi(apiClient())
                  .listMergeLog(member, null, null, null, null, null, null, 10)
                  .getItems())
          .extracting(MergeLogEntry::getAction)
          .containsExactly(MergeAction.NEW_MEMBER, MergeAction.MERGE);
    }
    assertThat(new AuditApi(apiClient()).verifyMergeLog().getOk()).isTrue();
  }

  private interface Call<T> {
    T run() throws Exception;
  }

  private static <T> T call(Call<T> call) {
    try {
      return call.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
