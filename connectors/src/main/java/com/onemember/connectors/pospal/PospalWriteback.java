package com.onemember.connectors.pospal;

import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.Writeback;
import com.onemember.connectors.frame.WritebackSink;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Golden tags into a Pospal member's remarks (备注), where the cashier sees them at the till: the
 * staff's own text stays as it is, the tags follow between {@link #MARK} and {@link #END}
 * (【会员标签：高价值,生日月】), so text the staff write later, before or after, is kept too. Pospal's open API
 * has no tag field and no place for a foreign id, and its points call ({@code
 * updateBalancePointByIncrement}) adds points, which the hub does not keep, so remarks are the one
 * place it allows. The member is read first ({@code queryByUid}) so that the staff's text is kept,
 * and written ({@code updateBaseInfo}) only when the remarks change. When the hub reads the member
 * again it leaves the part from {@link #MARK} out ({@link #staffRemarks}), so its own write never
 * comes back as news. A change the member's own system made (a writeback without tags) writes
 * nothing.
 */
final class PospalWriteback implements WritebackSink {

  /** Where the hub's part of the remarks begins. */
  static final String MARK = "【会员标签：";

  /** Where it ends. */
  static final String END = "】";

  private final PospalClient client;

  PospalWriteback(PospalClient client) {
    this.client = client;
  }

  @Override
  public void write(Writeback w) throws Refused {
    if (w.tags() == null) {
      return;
    }
    try {
      ObjectNode query = client.body();
      putUid(query, w.sourceRecordId());
      JsonNode member = client.call("customerOpenApi/queryByUid", query);
      String current = member.path("remarks").asString("");
      String staff = staffRemarks(current);
      String wanted =
          w.tags().isEmpty()
              ? staff
              : (staff.isEmpty() ? "" : staff + " ") + MARK + tagList(w.tags()) + END;
      if (wanted.equals(current)) {
        return;
      }
      ObjectNode update = client.body();
      ObjectNode info = update.putObject("customerInfo");
      putUid(info, w.sourceRecordId());
      info.put("remarks", wanted);
      client.call("customerOpenApi/updateBaseInfo", update);
    } catch (SourceUnavailable e) {
      throw new Refused("写回银豹失败 / writing back to Pospal failed: " + e.getMessage(), e);
    }
  }

  /** Pospal's customerUid is a number; a record id that is not one is sent as text. */
  private static void putUid(ObjectNode node, String uid) {
    try {
      node.put("customerUid", Long.parseLong(uid));
    } catch (NumberFormatException e) {
      node.put("customerUid", uid);
    }
  }

  /** The tags as written, without the closing bracket a tag name might hold. */
  private static String tagList(java.util.List<String> tags) {
    return String.join(",", tags).replace(END, "");
  }

  /**
   * The remarks without the hub's part: what the store's staff wrote, before and after it; the
   * remarks as they are when the hub has written nothing there ({@code null} stays {@code null}).
   */
  static String staffRemarks(String remarks) {
    if (remarks == null) {
      return null;
    }
    int at = remarks.indexOf(MARK);
    if (at < 0) {
      return remarks;
    }
    int end = remarks.indexOf(END, at + MARK.length());
    String after = end < 0 ? "" : remarks.substring(end + END.length());
    return (remarks.substring(0, at).strip() + " " + after.strip()).strip();
  }
}
