package com.onemember.connectors.youzan;

import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.Writeback;
import com.onemember.connectors.frame.WritebackSink;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the member's golden tags to the Youzan customer as customer tags, each named {@code
 * <tag-prefix><tag>} (by default {@code OM·忠实客户}), so that the hub's tags are told apart from the
 * shop's own: a tag the member loses is removed only when it carries the prefix. With an empty
 * prefix the hub only adds tags, never removes one, since it cannot tell whose a tag is. The
 * customer's tags are read first and nothing is written when they are as wanted, so the push the
 * shop may send for the hub's own change ends there. Youzan creates a tag on first use; a call
 * takes at most 20.
 */
final class YouzanWriteback implements WritebackSink {

  static final String ADD = "youzan.scrm.tag.relation.add";
  static final String DELETE = "youzan.scrm.tag.relation.delete";
  static final String QUERY = "youzan.scrm.tagrelation.query";

  /** Youzan's limit on a tag's name. */
  static final int MAX_NAME = 30;

  private static final int PER_CALL = 20;

  /** Youzan's code for a customer it does not know (客户不存在). */
  private static final Set<Long> GONE = Set.of(142400105L);

  private final YouzanClient client;
  private final String prefix;

  YouzanWriteback(YouzanClient client, String prefix) {
    this.client = client;
    this.prefix = prefix;
  }

  @Override
  public void write(Writeback writeback) throws Refused {
    if (writeback.tags() == null) {
      return; // only the link: Youzan keeps no golden id
    }
    String customer = writeback.sourceRecordId();
    try {
      Set<String> held = new LinkedHashSet<>();
      ObjectNode query = YouzanClient.JSON.createObjectNode();
      ObjectNode account = query.putObject("account");
      account.put("account_type", 5); // yz_open_id
      account.put("account_id", customer);
      JsonNode relations = client.call(QUERY, "1.0.0", query, GONE);
      if (relations == null) {
        return; // the customer left the shop meanwhile: nothing to tag
      }
      for (JsonNode tag : relations.path("tags")) {
        held.add(tag.path("name").asString(""));
      }
      Set<String> wanted = new LinkedHashSet<>();
      for (String tag : writeback.tags()) {
        String name = prefix + tag;
        // a name Youzan would refuse is cut rather than failing every tag of the member
        wanted.add(name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name);
      }
      List<String> add = new ArrayList<>();
      wanted.forEach(
          t -> {
            if (!held.contains(t)) {
              add.add(t);
            }
          });
      List<String> remove = new ArrayList<>();
      if (!prefix.isEmpty()) {
        held.forEach(
            t -> {
              if (t.startsWith(prefix) && !wanted.contains(t)) {
                remove.add(t);
              }
            });
      }
      relate(ADD, customer, add);
      relate(DELETE, customer, remove);
    } catch (SourceUnavailable e) {
      throw new Refused(e.getMessage(), e);
    }
  }

  private void relate(String api, String customer, List<String> tags) throws SourceUnavailable {
    for (int from = 0; from < tags.size(); from += PER_CALL) {
      ObjectNode body = YouzanClient.JSON.createObjectNode();
      body.put("account_type", "YzOpenId");
      body.put("account_id", customer);
      ArrayNode list = body.putArray("tags");
      tags.subList(from, Math.min(tags.size(), from + PER_CALL))
          .forEach(t -> list.addObject().put("tag_name", t));
      client.call(api, "4.0.0", body, GONE);
    }
  }
}
