package com.onemember.connectors.wecom;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.ServingStaff;
import com.onemember.canonical.SourceRecord;
import com.onemember.canonical.Tag;
import com.onemember.connectors.frame.JsonDocuments;
import com.onemember.connectors.frame.RowText;
import com.onemember.connectors.frame.SnapshotSource;
import com.onemember.connectors.frame.SourceUnavailable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A corporation's WeCom customers (客户联系), read per follow-up staff member: one row per customer and
 * staff member who keeps them ({@code <external_userid>:<userid>}), since each staff member keeps
 * their own remark, remark mobiles and tags of the customer.
 *
 * <p>A read lists the staff with the customer-contact permission ({@code get_follow_user_list}),
 * pages their customers a hundred staff at a time ({@code batch/get_by_user}, cursor paging, 100
 * per page), and names the tags from the corporation's tag list ({@code get_corp_tag_list}); then
 * it lists the customers of staff who left and await a transfer ({@code get_unassigned_list}),
 * whose relationships WeCom no longer lists under anyone: these rows carry only who left and when
 * ({@link #partial}), so the record keeps what was known of it and shows the staff member as
 * departed rather than disappearing.
 *
 * <p>The hub's own tag group (the writeback's, {@code tag-group}) is left out of the tags read, so
 * that tags the hub wrote are not read back as WeCom's.
 */
final class WeComContacts implements SnapshotSource {

  /** The row field of a staff member who left: when (ISO instant). */
  static final String DEPARTED_AT = "departed_at";

  /** The row fields that are lists, as JSON arrays of text. */
  static final String REMARK_MOBILES = "remark_mobiles";

  static final String TAGS = "tags";

  /** How many staff one batch/get_by_user may name, and how many pairs a page may give. */
  static final int STAFF_PER_CALL = 100;

  static final int PAGE = 100;

  private final WeComApi api;
  private final String hubTagGroup;

  WeComContacts(WeComApi api, String hubTagGroup) {
    this.api = api;
    this.hubTagGroup = hubTagGroup;
  }

  /** The key of one customer's relationship with one staff member. */
  static String key(String externalUserid, String userid) {
    return externalUserid + ":" + userid;
  }

  @Override
  public void readAll(Rows rows) throws SourceUnavailable {
    Map<String, String> tagNames = tagNames();
    List<String> staff = new ArrayList<>();
    for (JsonNode userid :
        api.get("externalcontact/get_follow_user_list", null, Set.of()).path("follow_user")) {
      staff.add(userid.asString());
    }
    for (int from = 0; from < staff.size(); from += STAFF_PER_CALL) {
      List<String> batch = staff.subList(from, Math.min(staff.size(), from + STAFF_PER_CALL));
      String cursor = "";
      do {
        ObjectNode request = JsonDocuments.JSON.createObjectNode();
        batch.forEach(request.putArray("userid_list")::add);
        request.put("cursor", cursor);
        request.put("limit", PAGE);
        JsonNode page = api.post("externalcontact/batch/get_by_user", request, Set.of());
        for (JsonNode entry : page.path("external_contact_list")) {
          Map<String, String> row =
              row(entry.path("external_contact"), entry.path("follow_info"), tagNames);
          rows.accept(key(row.get("external_userid"), row.get("userid")), row);
        }
        cursor = page.path("next_cursor").asString("");
      } while (!cursor.isEmpty());
    }
    String cursor = "";
    do {
      ObjectNode request = JsonDocuments.JSON.createObjectNode();
      request.put("cursor", cursor);
      request.put("page_size", 1000);
      JsonNode page = api.post("externalcontact/get_unassigned_list", request, Set.of());
      for (JsonNode info : page.path("info")) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("external_userid", JsonDocuments.text(info.path("external_userid")));
        row.put("userid", JsonDocuments.text(info.path("handover_userid")));
        row.put(DEPARTED_AT, seconds(info.path("dimission_time")));
        rows.accept(key(row.get("external_userid"), row.get("userid")), row);
      }
      cursor = page.path("is_last").asBoolean(true) ? "" : page.path("next_cursor").asString("");
    } while (!cursor.isEmpty());
  }

  /** A departed staff member's row names only the relationship: the rest is as last known. */
  @Override
  public boolean partial(Map<String, String> row) {
    return row.containsKey(DEPARTED_AT) && !row.containsKey("remark");
  }

  /** Tag id to name, the hub's own group left out. */
  Map<String, String> tagNames() throws SourceUnavailable {
    Map<String, String> names = new HashMap<>();
    for (WeComApi.CorpTag tag : api.corpTags()) {
      if (!hubTagGroup.equals(tag.group())) {
        names.put(tag.id(), tag.name());
      }
    }
    return names;
  }

  /**
   * One relationship as a row: the customer's WeChat name, type, gender and unionid (when WeCom
   * gives it), and the staff member's remark, description, remark mobiles, tags and when it began.
   * {@code follow} is a batch/get_by_user {@code follow_info} (tag ids, named through {@code
   * tagNames}) or an externalcontact/get {@code follow_user} entry (tags with their names).
   */
  Map<String, String> row(JsonNode contact, JsonNode follow, Map<String, String> tagNames) {
    Map<String, String> row = new LinkedHashMap<>();
    row.put("external_userid", JsonDocuments.text(contact.path("external_userid")));
    row.put("userid", JsonDocuments.text(follow.path("userid")));
    row.put("name", JsonDocuments.text(contact.path("name")));
    row.put("type", JsonDocuments.text(contact.path("type")));
    row.put("gender", JsonDocuments.text(contact.path("gender")));
    row.put("unionid", JsonDocuments.text(contact.path("unionid")));
    row.put("corp_name", JsonDocuments.text(contact.path("corp_name")));
    row.put("remark", JsonDocuments.text(follow.path("remark")));
    row.put("description", JsonDocuments.text(follow.path("description")));
    row.put("createtime", seconds(follow.path("createtime")));
    row.put("add_way", JsonDocuments.text(follow.path("add_way")));
    row.put("state", JsonDocuments.text(follow.path("state")));
    List<String> mobiles = new ArrayList<>();
    follow.path("remark_mobiles").forEach(m -> mobiles.add(m.asString()));
    row.put(REMARK_MOBILES, JsonDocuments.JSON.writeValueAsString(mobiles));
    Set<String> tags = new LinkedHashSet<>();
    follow.path("tag_id").forEach(id -> addIfKnown(tags, tagNames.get(id.asString())));
    for (JsonNode tag : follow.path("tags")) {
      if (tag.path("type").asInt(1) == 1
          && !hubTagGroup.equals(tag.path("group_name").asString(""))) {
        addIfKnown(tags, tag.path("tag_name").asString(null));
      }
    }
    row.put(TAGS, JsonDocuments.JSON.writeValueAsString(tags));
    row.values().removeIf(v -> v == null);
    return row;
  }

  private static void addIfKnown(Set<String> tags, String name) {
    if (name != null && !name.isBlank()) {
      tags.add(name);
    }
  }

  /** WeCom's epoch seconds as an ISO instant, {@code null} when absent. */
  static String seconds(JsonNode value) {
    long s = value.asLong(0);
    return s <= 0 ? null : Instant.ofEpochSecond(s).toString();
  }

  @Override
  public SourceRecord map(String source, Map<String, String> row) {
    return record(source, row);
  }

  /**
   * The relationship as a source record: the staff member's remark as the name (it is what the
   * store calls the customer; the WeChat name is a nickname), the remark mobiles, the customer's
   * WeCom id (which joins the records of one customer's several staff) and unionid, the tags, and
   * the staff member as the one who serves them.
   */
  static SourceRecord record(String source, Map<String, String> row) {
    String external = row.get("external_userid");
    String userid = row.get("userid");
    List<Identifier> identifiers = new ArrayList<>();
    identifiers.add(new Identifier(IdentifierType.EXTERNAL_ID, external, source));
    String unionid = RowText.text(row.get("unionid"));
    if (unionid != null) {
      identifiers.add(new Identifier(IdentifierType.WECHAT_UNIONID, unionid, null));
    }
    for (String mobile : list(row.get(REMARK_MOBILES))) {
      if (RowText.text(mobile) != null) {
        identifiers.add(new Identifier(IdentifierType.MOBILE, mobile.strip(), null));
      }
    }
    List<Tag> tags = new ArrayList<>();
    for (String tag : list(row.get(TAGS))) {
      tags.add(new Tag(tag, source));
    }
    String gender =
        switch (row.getOrDefault("gender", "0")) {
          case "1" -> "男";
          case "2" -> "女";
          default -> null;
        };
    return new SourceRecord(
        source,
        key(external, userid),
        null,
        RowText.text(row.get("remark")),
        RowText.text(row.get("name")),
        gender,
        null,
        identifiers,
        List.of(),
        List.of(),
        tags,
        null,
        row,
        List.of(
            new ServingStaff(
                source, userid, instant(row.get("createtime")), instant(row.get(DEPARTED_AT)))));
  }

  private static List<String> list(String json) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    JsonDocuments.JSON.readTree(json).forEach(v -> out.add(v.asString()));
    return out;
  }

  private static Instant instant(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
