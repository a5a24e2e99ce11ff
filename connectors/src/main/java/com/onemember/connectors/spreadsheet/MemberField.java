package com.onemember.connectors.spreadsheet;

/**
 * What a column of a member export holds, as far as mapping to a {@link
 * com.onemember.canonical.SourceRecord} cares.
 */
public enum MemberField {
  /** A whole name as typed, possibly a title such as 王先生. */
  NAME,
  /** Given name, when an export splits names (web shops do). */
  FIRST_NAME,
  /** Family name, when an export splits names. */
  LAST_NAME,
  /** A display name; never used as a name because it identifies nobody. */
  NICKNAME,
  /** A phone number column; may hold a landline or several numbers, the standardizer decides. */
  MOBILE,
  EMAIL,
  GENDER,
  BIRTHDAY,
  PROVINCE,
  CITY,
  DISTRICT,
  /** Street-level address; several such columns (Address1, Address2) form one line. */
  ADDRESS,
  MEMBER_CARD,
  /** The exporting system's own customer id. */
  EXTERNAL_ID,
  WECHAT_OPENID,
  WECHAT_UNIONID,
  /** Resident identity card number (身份证号). */
  NATIONAL_ID,
  /** When the exporting system last changed the customer; used for survivorship. */
  UPDATED_AT,
  /** Orders the customer placed in that system (订单数); tag rules add them up. */
  ORDERS,
  /** Yuan the customer spent there (消费总额). */
  SPENT,
  /** When the customer last bought there (最近消费时间). */
  LAST_PURCHASE_AT,
  /** The store the customer belongs to or bought at (门店). */
  STORE;

  /** Whether a column of this kind can tell one member from another on its own. */
  public boolean identifies() {
    return switch (this) {
      case NAME,
          FIRST_NAME,
          LAST_NAME,
          MOBILE,
          EMAIL,
          WECHAT_UNIONID,
          WECHAT_OPENID,
          MEMBER_CARD,
          EXTERNAL_ID,
          NATIONAL_ID ->
          true;
      default -> false;
    };
  }
}
