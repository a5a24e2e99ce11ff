package com.onemember.hub.support;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Source records as a till or a store's member system sends one member card: card number, name,
 * mobile and birthday, as the cells were typed (the raw record keeps them under their Chinese
 * column names), with an optional note. For ITs that ingest records one at a time.
 */
public final class MemberCards {

  private MemberCards() {}

  /** A card of {@code source}; {@code gender} and {@code note} may be null. */
  public static SourceRecord card(
      String source,
      String id,
      String name,
      String gender,
      String mobile,
      String birthday,
      String note) {
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("会员卡号", id);
    raw.put("姓名", name);
    raw.put("手机号", mobile);
    raw.put("生日", birthday);
    if (note != null) {
      raw.put("备注", note);
    }
    return new SourceRecord(
        source,
        id,
        Instant.now(),
        name,
        null,
        gender,
        birthday,
        List.of(Identifier.of(IdentifierType.MOBILE, mobile)),
        List.of(),
        List.of(),
        List.of(),
        null,
        raw);
  }
}
