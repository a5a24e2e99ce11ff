package com.onemember.connectors.wecom;

import com.onemember.connectors.frame.JsonDocuments;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.Writeback;
import com.onemember.connectors.frame.WritebackSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Golden tags written back as WeCom corporate tags (企业客户标签) of one group, the hub's ({@code
 * tag-group}), on each relationship of the member: a staff member opening the customer in WeCom
 * sees them next to their own tags. Tags of the group missing in WeCom are created ({@code
 * add_corp_tag}); the relationship's tags of the group are set to the golden ones ({@code
 * mark_tag}), the others left as staff set them. WeCom has no field for the golden id, so a
 * writeback that carries only the link changes nothing.
 */
final class WeComTags implements WritebackSink {

  /** WeCom's longest tag name. */
  static final int MAX_TAG_NAME = 30;

  /** Codes of a relationship or customer gone meanwhile: nothing left to tag. */
  private static final Set<Long> GONE = Set.of(84061L, 40096L);

  /** An unknown tag id: a tag deleted in WeCom since it was looked up. */
  private static final long UNKNOWN_TAG = 40068L;

  private final WeComApi api;
  private final String group;

  /** The group's tags by name, as last looked up; refreshed when WeCom knows one no more. */
  private Map<String, String> ids;

  WeComTags(WeComApi api, String group) {
    this.api = api;
    this.group = group;
  }

  @Override
  public synchronized void write(Writeback writeback) throws Refused {
    if (writeback.tags() == null) {
      return;
    }
    int at = writeback.sourceRecordId().indexOf(':');
    if (at < 0) {
      throw new Refused(
          "记录 id "
              + writeback.sourceRecordId()
              + " 不是「外部联系人:成员」/ record id "
              + writeback.sourceRecordId()
              + " is not <external_userid>:<userid>",
          null);
    }
    String external = writeback.sourceRecordId().substring(0, at);
    String userid = writeback.sourceRecordId().substring(at + 1);
    Set<String> wanted = new LinkedHashSet<>();
    for (String tag : writeback.tags()) {
      wanted.add(tag.length() > MAX_TAG_NAME ? tag.substring(0, MAX_TAG_NAME) : tag);
    }
    try {
      for (boolean again = false; ; again = true) {
        try {
          mark(external, userid, wanted);
          return;
        } catch (UnknownTag e) {
          ids = null; // deleted in WeCom meanwhile: look the group up again, once
          if (again) {
            throw new Refused(e.getMessage(), null);
          }
        }
      }
    } catch (SourceUnavailable e) {
      throw new Refused(e.getMessage(), e);
    }
  }

  private void mark(String external, String userid, Set<String> wanted)
      throws SourceUnavailable, UnknownTag {
    JsonNode contact =
        api.get("externalcontact/get", "external_userid=" + WeComApi.encode(external), GONE);
    if (contact.path("errcode").asLong(0) != 0) {
      return;
    }
    Set<String> current = new LinkedHashSet<>();
    boolean found = false;
    for (JsonNode follow : contact.path("follow_user")) {
      if (userid.equals(follow.path("userid").asString(""))) {
        found = true;
        for (JsonNode tag : follow.path("tags")) {
          if (group.equals(tag.path("group_name").asString(""))) {
            current.add(tag.path("tag_id").asString(""));
          }
        }
      }
    }
    if (!found) {
      return; // the staff member no longer keeps the customer
    }
    Map<String, String> byName = ids(wanted);
    Set<String> target = new LinkedHashSet<>();
    wanted.forEach(name -> target.add(byName.get(name)));
    List<String> add = new ArrayList<>(target);
    add.removeAll(current);
    List<String> remove = new ArrayList<>(current);
    remove.removeAll(target);
    if (add.isEmpty() && remove.isEmpty()) {
      return;
    }
    ObjectNode request = JsonDocuments.JSON.createObjectNode();
    request.put("userid", userid);
    request.put("external_userid", external);
    add.forEach(request.putArray("add_tag")::add);
    remove.forEach(request.putArray("remove_tag")::add);
    JsonNode answer =
        api.post("externalcontact/mark_tag", request, Set.of(84061L, 40096L, UNKNOWN_TAG));
    if (answer.path("errcode").asLong(0) == UNKNOWN_TAG) {
      throw new UnknownTag(answer.path("errmsg").asString(""));
    }
  }

  /** The group's tag ids by name, the names in {@code wanted} created when missing. */
  private Map<String, String> ids(Set<String> wanted) throws SourceUnavailable {
    if (ids == null) {
      ids = new HashMap<>();
      for (WeComApi.CorpTag tag : api.corpTags()) {
        if (group.equals(tag.group())) {
          ids.put(tag.name(), tag.id());
        }
      }
    }
    List<String> missing = wanted.stream().filter(name -> !ids.containsKey(name)).toList();
    if (!missing.isEmpty()) {
      ObjectNode request = JsonDocuments.JSON.createObjectNode();
      request.put("group_name", group);
      var tags = request.putArray("tag");
      missing.forEach(name -> tags.addObject().put("name", name));
      JsonNode created =
          api.post("externalcontact/add_corp_tag", request, Set.of()).path("tag_group");
      created
          .path("tag")
          .forEach(t -> ids.put(t.path("name").asString(""), t.path("id").asString()));
    }
    return ids;
  }

  /** WeCom no longer knows a tag id the hub looked up. */
  private static final class UnknownTag extends Exception {
    UnknownTag(String said) {
      super("企业微信不认识该标签（可能刚被删除）/ WeCom does not know the tag (deleted meanwhile?): " + said);
    }
  }
}
