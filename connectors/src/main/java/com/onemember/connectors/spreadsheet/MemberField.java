package com.onemember.connectors.spreadsheet;

/** What a column of a member export holds. */
public enum MemberField {
  NAME,
  FIRST_NAME,
  LAST_NAME,
  /** A display name such as a WeChat nickname; never taken for a name. */
  NICKNAME,
  MOBILE,
  EMAIL,
  GENDER,
  BIRTHDAY,
  PROVINCE,
  CITY,
  DISTRICT,
  ADDRESS,
  MEMBER_CARD,
  EXTERNAL_ID,
  WECHAT_OPENID,
  WECHAT_UNIONID,
  UPDATED_AT
}
