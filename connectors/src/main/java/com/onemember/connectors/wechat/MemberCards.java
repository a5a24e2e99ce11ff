package com.onemember.connectors.wechat;

import com.onemember.connectors.frame.JsonDocuments;
import com.onemember.connectors.frame.RegistrationKind.RegistrationRefused;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.Writeback;
import com.onemember.connectors.frame.WritebackSink;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The member's golden tags shown on their WeChat member card (会员卡): the first {@code card-levels}
 * entry whose tag the member holds gives the card's level, written to the card's first custom field
 * (set up in the card as the level, FIELD_NAME_TYPE_LEVEL), and its bonus: a member reaching the
 * level holds at least that many points. A member with none of the tags shows {@code
 * card-default-level}.
 *
 * <p>Through the card API of 微信卡券 ({@code /card/membercard/updateuser}), not WeChat Pay's member
 * cards: it takes the app's access token the registrations already use, its member-card events
 * ({@code user_get_card}...) are the ones the app's message push delivers, and it needs no merchant
 * certificate. The person's cards are found by openid ({@code /card/user/getcardlist}), so the
 * writeback needs nothing the hub keeps beside the record's id.
 *
 * <p>The bonus is a floor, set only when the card holds fewer points ({@code bonus}, with a history
 * line the person sees): writing the same tags again, as every later event of the member does,
 * changes nothing, where adding points each time would pay the bonus again. A card the person
 * deleted meanwhile is left alone.
 */
final class MemberCards implements WritebackSink {

  /** One level: the tag that gives it, the name the card shows, the points it guarantees. */
  record Level(String tag, String name, int bonus) {}

  /** WeChat's codes for a card code it no longer holds (deleted, or given to a friend). */
  static final Set<Long> GONE = Set.of(40056L, 40127L);

  private final WeChatApi api;
  private final String cardId;
  private final List<Level> levels;
  private final String defaultLevel;

  MemberCards(WeChatApi api, String cardId, List<Level> levels, String defaultLevel) {
    this.api = api;
    this.cardId = cardId;
    this.levels = List.copyOf(levels);
    this.defaultLevel = defaultLevel;
  }

  /** The level the tags give: the first whose tag the member holds; null for none. */
  Level level(List<String> tags) {
    return levels.stream().filter(l -> tags.contains(l.tag())).findFirst().orElse(null);
  }

  @Override
  public void write(Writeback writeback) throws Refused {
    if (writeback.tags() == null) {
      return; // only the link: a member card has no place for a golden id
    }
    Level level = level(writeback.tags());
    String shown = level == null ? defaultLevel : level.name();
    try {
      ObjectNode query = JsonDocuments.JSON.createObjectNode();
      query.put("openid", writeback.sourceRecordId());
      query.put("card_id", cardId);
      JsonNode cards = api.post("getcardlist", "/card/user/getcardlist", query);
      for (JsonNode card : cards.path("card_list")) {
        String code = JsonDocuments.text(card.path("code"));
        if (code != null) {
          update(code, level, shown);
        }
      }
    } catch (RegistrationRefused | SourceUnavailable e) {
      throw new Refused(
          "无法更新微信会员卡 / the WeChat member card of "
              + writeback.sourceRecordId()
              + " could not be updated: "
              + e.getMessage(),
          e);
    }
  }

  private void update(String code, Level level, String shown)
      throws RegistrationRefused, SourceUnavailable {
    ObjectNode which = JsonDocuments.JSON.createObjectNode();
    which.put("card_id", cardId);
    which.put("code", code);
    JsonNode held = api.post("userinfo/get", "/card/membercard/userinfo/get", which, GONE);
    if (held.path("errcode").asLong(0) != 0
        || !"NORMAL".equals(held.path("user_card_status").asString(""))) {
      return; // deleted, expired or being given away: not the member's card to write now
    }
    ObjectNode update = which.deepCopy();
    update.put("custom_field_value1", shown);
    ObjectNode notify = update.putObject("notify_optional");
    notify.put("is_notify_custom_field1", false);
    if (level != null && level.bonus() > held.path("bonus").asInt(0)) {
      update.put("bonus", level.bonus());
      update.put("record_bonus", "成为" + level.name() + "，积分补足至 " + level.bonus());
      notify.put("is_notify_bonus", true);
    }
    api.post("updateuser", "/card/membercard/updateuser", update, GONE);
  }
}
