package com.onemember.mdm.matching;

import com.onemember.canonical.Identifier;
import com.onemember.mdm.standardize.StandardizedRecord;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys under which a record is found as a candidate for another (blocking keys), and under
 * which concurrent ingests of the same person are serialised. A key is text such as {@code
 * MOBILE:13812345678} or {@code MEMBER_CARD:pos-store-12:8800123}; scoped identifiers carry their
 * scope so that card 1001 of one store does not meet card 1001 of another.
 */
public final class MatchKeys {

  private MatchKeys() {}

  /** The record's keys, sorted, without duplicates. Landlines give none: offices share them. */
  public static List<String> of(StandardizedRecord record) {
    Set<String> keys = new TreeSet<>();
    for (Identifier id : record.identifiers()) {
      String key = of(id);
      if (key != null) {
        keys.add(key);
      }
    }
    return List.copyOf(keys);
  }

  private static String digest(String value) {
    try {
      byte[] hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key of one standardised identifier, or {@code null} if it is not used for matching. */
  public static String of(Identifier id) {
    return switch (id.type()) {
      case LANDLINE -> null;
      case MOBILE, EMAIL, WECHAT_UNIONID -> id.type() + ":" + id.value();
      // the id number itself is sensitive: the key holds a digest that finds it, not the number
      case NATIONAL_ID -> id.type() + ":" + digest(id.value());
      case WECHAT_OPENID, MEMBER_CARD, EXTERNAL_ID ->
          id.type() + ":" + Objects.requireNonNullElse(id.scope(), "") + ":" + id.value();
    };
  }
}
