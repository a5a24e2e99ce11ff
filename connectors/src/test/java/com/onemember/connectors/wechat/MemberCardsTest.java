package com.onemember.connectors.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.Writeback;
import com.onemember.connectors.frame.WritebackSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code wechat-miniprogram} member-card writeback against the WeChat stand-in's card API: the
 * golden tags as the card's level and a bonus floor, written the same again without paying the
 * bonus twice; a deleted card and a link-only event left alone.
 */
class MemberCardsTest {

  private static final String APP = "wx5f2a09c3e1b7d846";
  private static final String SECRET = "3b9f1c7e5a2d8f4b6c0e9a1d7f3b5c2e";
  private static final String CARD = "pFS7Fjg8kV1IdDz01r4SQwMkuCKc";

  private final WeChatServer wechat = new WeChatServer();
  private final MiniProgramKind kind = new MiniProgramKind(Clock.systemUTC(), d -> {});
  private final WeChatServer.Person zhou;
  private final WritebackSink sink;

  MemberCardsTest() throws Exception {
    wechat.addApp(APP, SECRET);
    zhou = wechat.addPerson("oZ9Fq5bN4mK7jH2gF5dS8aP1oI3u", "13918830427", "周敏");
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("app-id", APP);
    parameters.put("app-secret", SECRET);
    parameters.put("token", wechat.app(APP).pushToken());
    parameters.put("base-url", wechat.baseUrl());
    parameters.put("card-id", CARD);
    parameters.put(
        "card-levels",
        List.of(
            Map.of("tag", "忠实客户", "level", "金卡会员", "bonus", 500),
            Map.of("tag", "茶友", "level", "茶友会员")));
    sink =
        kind.sink(
                new ConnectorInstance(
                    Path.of("mp.yaml"),
                    "mp-lin-tea",
                    "wechat-miniprogram",
                    true,
                    null,
                    null,
                    List.of(),
                    parameters))
            .orElseThrow();
  }

  @AfterEach
  void stop() {
    wechat.close();
  }

  private void write(List<String> tags) throws WritebackSink.Refused {
    sink.write(new Writeback(zhou.openid(APP), UUID.randomUUID(), tags));
  }

  @Test
  void theFirstLevelTagGivesTheLevelAndTopsThePointsUpOnce() throws Exception {
    WeChatServer.Card card = wechat.giveCard(APP, CARD, zhou, 120);
    write(List.of("茶友", "忠实客户"));
    assertThat(card.level()).isEqualTo("金卡会员");
    assertThat(card.bonus()).isEqualTo(500);
    assertThat(card.bonusRecords()).containsExactly("成为金卡会员，积分补足至 500");

    // the member's next event writes the same tags: nothing is paid twice
    write(List.of("忠实客户", "茶友"));
    assertThat(card.bonus()).isEqualTo(500);
    assertThat(card.bonusRecords()).hasSize(1);
  }

  @Test
  void aMemberWithMorePointsKeepsThemAndOneWithoutATagShowsTheDefaultLevel() throws Exception {
    WeChatServer.Card rich = wechat.giveCard(APP, CARD, zhou, 800);
    write(List.of("忠实客户"));
    assertThat(rich.level()).isEqualTo("金卡会员");
    assertThat(rich.bonus()).isEqualTo(800);
    assertThat(rich.bonusRecords()).isEmpty();

    write(List.of("生日月"));
    assertThat(rich.level()).isEqualTo("会员");
  }

  @Test
  void aDeletedCardALinkOnlyEventAndAPersonWithoutACardChangeNothing() throws Exception {
    WeChatServer.Card deleted = wechat.giveCard(APP, CARD, zhou, 0);
    wechat.deleteCard(deleted.code);
    write(List.of("忠实客户"));
    assertThat(deleted.level()).isEmpty();
    assertThat(deleted.bonus()).isZero();

    WeChatServer.Card card = wechat.giveCard(APP, CARD, zhou, 0);
    int calls = wechat.calls().size();
    write(null);
    assertThat(wechat.calls()).hasSize(calls);
    assertThat(card.level()).isEmpty();

    WeChatServer.Person nobody = wechat.addPerson("oZ9Fq5cV6bN9mL2kJ5hG8fD1sA4q", "13700001234");
    sink.write(new Writeback(nobody.openid(APP), UUID.randomUUID(), List.of("忠实客户")));
  }

  @Test
  void aReplacedTokenIsAskedForAgainOnce() throws Exception {
    WeChatServer.Card card = wechat.giveCard(APP, CARD, zhou, 0);
    write(List.of("茶友"));
    wechat.invalidateTokens();
    write(List.of("忠实客户"));
    assertThat(card.level()).isEqualTo("金卡会员");
    assertThat(wechat.tokenRequests()).isEqualTo(2);
  }

  @Test
  void withoutACardIdThereIsNoWriteback() {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("app-id", APP);
    parameters.put("app-secret", SECRET);
    parameters.put("token", "abc");
    assertThat(
            kind.sink(
                new ConnectorInstance(
                    Path.of("mp.yaml"),
                    "mp-lin-tea",
                    "wechat-miniprogram",
                    true,
                    Duration.ZERO,
                    null,
                    List.of(),
                    parameters)))
        .isEmpty();
  }
}
