package com.onemember.canonical;

/** Kinds of identifiers a source system may hold for a customer. */
public enum IdentifierType {
  /** Mainland mobile number, standardised to 11 digits. */
  MOBILE,
  /** Fixed-line number with area code; kept, but never used alone to match people. */
  LANDLINE,
  /** E-mail address in lower case. */
  EMAIL,
  /** WeChat openid; only unique within one app id, which is the identifier's scope. */
  WECHAT_OPENID,
  /** WeChat unionid; one per person across the apps of one WeChat open platform account. */
  WECHAT_UNIONID,
  /** Member card number; unique within the issuing source, which is the scope. */
  MEMBER_CARD,
  /** The source system's own customer id; unique within that source. */
  EXTERNAL_ID,
  /**
   * Resident identity card number (居民身份证号码), 18 characters whose check digit holds. Two different
   * ones are two people whatever else agrees.
   */
  NATIONAL_ID
}
