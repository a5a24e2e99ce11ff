package com.onemember.connectors.pospal;

import com.onemember.canonical.Address;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.SnapshotSource;
import com.onemember.connectors.frame.SourceTable;
import com.onemember.connectors.frame.SourceUnavailable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every member of a Pospal account, page by page ({@code queryCustomerPages}: the first page
 * without {@code postBackParameter}, each next one with the object the last answer gave, unchanged;
 * the last page holds fewer than {@code pageSize}). Pospal keeps no last-modified time, so the hub
 * reads all members each sync and keeps their digests. A member Pospal marks deleted ({@code
 * enable} -1) is left out, so its record is withdrawn. The member's password hash is never read
 * into the hub.
 */
final class PospalMembers implements SnapshotSource {

  static final String PAGES = "customerOpenApi/queryCustomerPages";

  private final PospalClient client;

  PospalMembers(PospalClient client) {
    this.client = client;
  }

  @Override
  public void readAll(Rows rows) throws SourceUnavailable {
    JsonNode postBack = null;
    while (true) {
      ObjectNode body = client.body();
      if (postBack != null) {
        body.set("postBackParameter", postBack);
      }
      JsonNode data = client.call(PAGES, body);
      JsonNode result = data.path("result");
      for (JsonNode member : result) {
        if (member.path("enable").asInt(1) == -1) {
          continue;
        }
        Map<String, String> row = flatten(member);
        rows.accept(row.get("customerUid"), row);
      }
      int pageSize = data.path("pageSize").asInt(0);
      postBack = data.get("postBackParameter");
      if (result.isEmpty() || result.size() < pageSize || postBack == null || postBack.isNull()) {
        return;
      }
    }
  }

  /**
   * A member's fields as text, in Pospal's order: {@code extInfo}'s as {@code extInfo.sex}, the
   * WeChat ids as their JSON; not the password hash.
   */
  static Map<String, String> flatten(JsonNode member) {
    Map<String, String> row = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : member.properties()) {
      String key = e.getKey();
      JsonNode v = e.getValue();
      if (key.equals("password")) {
        continue;
      }
      if (key.equals("extInfo") && v.isObject()) {
        for (Map.Entry<String, JsonNode> x : v.properties()) {
          row.put("extInfo." + x.getKey(), text(x.getValue()));
        }
      } else if (v.isContainer()) {
        row.put(key, v.toString());
      } else if (key.equals("remarks")) {
        // the hub's own part (the golden tags it wrote back) is not news from Pospal
        row.put(key, PospalWriteback.staffRemarks(text(v)));
      } else {
        row.put(key, text(v));
      }
    }
    return row;
  }

  private static String text(JsonNode v) {
    return v == null || v.isNull() ? null : v.asString();
  }

  @Override
  public SourceRecord map(String source, Map<String, String> row) {
    String uid = blank(row.get("customerUid"));
    if (uid == null) {
      throw new SourceTable.RowRejected("会员没有 customerUid / the member has no customerUid");
    }
    List<Identifier> ids = new ArrayList<>();
    ids.add(new Identifier(IdentifierType.EXTERNAL_ID, uid, source));
    String number = blank(row.get("number"));
    if (number != null) {
      ids.add(new Identifier(IdentifierType.MEMBER_CARD, number, source));
    }
    if (blank(row.get("phone")) != null) {
      ids.add(Identifier.of(IdentifierType.MOBILE, blank(row.get("phone"))));
    }
    if (blank(row.get("email")) != null) {
      ids.add(Identifier.of(IdentifierType.EMAIL, blank(row.get("email"))));
    }
    weChatIds(source, row.get("weixinOpenIds"), ids);
    String name = blank(row.get("name"));
    if (name == null && ids.stream().allMatch(i -> i.type() == IdentifierType.EXTERNAL_ID)) {
      throw new SourceTable.RowRejected(
          "没有姓名、电话、邮箱或会员号，无法识别为一个人 / nothing in the member identifies a person:"
              + " no name, phone, e-mail or member number");
    }
    List<Address> addresses = new ArrayList<>();
    if (blank(row.get("address")) != null) {
      addresses.add(new Address(null, null, null, blank(row.get("address"))));
    }
    String sex = blank(row.get("extInfo.sex"));
    String gender = "1".equals(sex) ? "男" : "0".equals(sex) ? "女" : null;
    String birthday = blank(row.get("birthday"));
    if (birthday != null && birthday.endsWith(" 00:00:00")) {
      birthday = birthday.substring(0, birthday.length() - " 00:00:00".length());
    }
    Map<String, String> raw = new LinkedHashMap<>();
    row.forEach((k, v) -> raw.put(k, v == null ? "" : v));
    return new SourceRecord(
        source,
        uid,
        null,
        name,
        blank(row.get("extInfo.nickName")),
        gender,
        birthday,
        ids,
        addresses,
        List.of(),
        List.of(),
        null,
        raw);
  }

  /**
   * {@code weixinOpenIds}: {@code openIdType} 1000 is the WeChat unionid; 0 (official account) and
   * 1 (mini program) are openids of apps Pospal does not name, so they are scoped to this
   * connector.
   */
  private static void weChatIds(String source, String json, List<Identifier> ids) {
    if (blank(json) == null) {
      return;
    }
    JsonNode list;
    try {
      list = PospalClient.JSON.readTree(json);
    } catch (tools.jackson.core.JacksonException e) {
      return; // kept in the raw record; not an identifier
    }
    for (JsonNode w : list) {
      String id = blank(text(w.get("openId")));
      if (id == null) {
        continue;
      }
      switch (w.path("openIdType").asInt(-1)) {
        case 1000 -> ids.add(Identifier.of(IdentifierType.WECHAT_UNIONID, id));
        case 0 -> ids.add(new Identifier(IdentifierType.WECHAT_OPENID, id, source + ":oa"));
        case 1 -> ids.add(new Identifier(IdentifierType.WECHAT_OPENID, id, source + ":mp"));
        default -> {
          // an unknown kind of id stays in the raw record
        }
      }
    }
  }

  private static String blank(String s) {
    if (s == null) {
      return null;
    }
    String t = s.strip();
    return t.isEmpty() ? null : t;
  }
}
