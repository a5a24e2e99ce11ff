package com.onemember.connectors.frame;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import java.util.ArrayList;
import java.util.List;

/** The identifiers a mapper collects for one record, blank values left out. */
public final class Identifiers {

  private final String source;
  private final List<Identifier> list = new ArrayList<>();

  /**
   * Starts with the record's own id in its source and, when it has one, the member card the source
   * issued: both scoped to the source.
   */
  public Identifiers(String source, String recordId, String memberCard) {
    this.source = source;
    list.add(new Identifier(IdentifierType.EXTERNAL_ID, recordId, source));
    String card = RowText.text(memberCard);
    if (card != null) {
      list.add(new Identifier(IdentifierType.MEMBER_CARD, card, source));
    }
  }

  /**
   * Adds a globally meaningful identifier (a phone, an e-mail, a unionid), if not blank and not
   * given already.
   */
  public Identifiers add(IdentifierType type, String value) {
    String v = RowText.text(value);
    if (v != null) {
      Identifier id = Identifier.of(type, v);
      if (!list.contains(id)) { // the same e-mail in two fields is one identifier
        list.add(id);
      }
    }
    return this;
  }

  /**
   * Adds a globally meaningful identifier the system verified as the person's (a phone WeChat
   * confirmed), if not blank: stronger evidence for matching than one typed in.
   */
  public Identifiers addVerified(IdentifierType type, String value) {
    String v = RowText.text(value);
    if (v != null) {
      list.remove(Identifier.of(type, v));
      list.add(Identifier.verified(type, v));
    }
    return this;
  }

  /** Adds an identifier scoped to {@code scope} (an app id; the source plus a qualifier). */
  public Identifiers addScoped(IdentifierType type, String value, String scope) {
    String v = RowText.text(value);
    if (v != null) {
      list.add(new Identifier(type, v, scope));
    }
    return this;
  }

  public String source() {
    return source;
  }

  public List<Identifier> list() {
    return list;
  }
}
