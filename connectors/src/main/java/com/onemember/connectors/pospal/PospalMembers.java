package com.onemember.connectors.pospal;

import com.onemember.canonical.Address;
import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.connectors.frame.Identifiers;
import com.onemember.connectors.frame.RowText;
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
    String uid = SourceTable.rowKey(row, "customerUid");
    // number: the member number Pospal prints on the card
    Identifiers identifiers =
        new Identifiers(source, uid, row.get("number"))
            .add(IdentifierType.MOBILE, row.get("phone"))
            .add(IdentifierType.EMAIL, row.get("email"));
    List<Identifier> ids = identifiers.list();
    weChatIds(source, row.get("weixinOpenIds"), ids);
    String name = RowText.text(row.get("name"));
    SourceTable.requireAPerson(name, ids);
    List<Address> addresses = new ArrayList<>();
    if (RowText.text(row.get("address")) != null) {
      addresses.add(new Address(null, null, null, RowText.text(row.get("address"))));
    }
    String sex = RowText.text(row.get("extInfo.sex"));
    String gender = "1".equals(sex) ? "男" : "0".equals(sex) ? "女" : null;
    String birthday = RowText.text(row.get("birthday"));
    if (birthday != null && birthday.endsWith(" 00:00:00")) {
      birthday = birthday.substring(0, birthday.length() - " 00:00:00".length());
    }
    return new SourceRecord(
        source,
        uid,
        null,
        name,
        RowText.text(row.get("extInfo.nickName")),
        gender,
        birthday,
        ids,
        addresses,
        List.of(),
        List.of(),
        null,
        RowText.raw(row));
  }

  /**
   * {@code weixinOpenIds}: {@code openIdType} 1000 is the WeChat unionid; 0 (official account) and
   * 1 (mini program) are openids of apps Pospal does not name, so they are scoped to this
   * connector.
   */
  private static void weChatIds(String source, String json, List<Identifier> ids) {
    if (RowText.text(json) == null) {
      return;
    }
    JsonNode list;
    try {
      list = PospalClient.JSON.readTree(json);
    } catch (tools.jackson.core.JacksonException e) {
      return; // kept in the raw record; not an identifier
    }
    for (JsonNode w : list) {
      String id = RowText.text(text(w.get("openId")));
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
}
