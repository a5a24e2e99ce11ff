package com.onemember.mdm.bench.generator;

/** The four kinds of system a retail chain's members are exported from. */
public enum SourceShape {
  /** Store tills: member cards, Chinese names typed by clerks, mixed phone and date layouts. */
  POS,
  /** The online shop: romanised names, e-mail, full phone numbers in E.164. */
  WEB_SHOP,
  /** The WeChat mini program and official account: openids, nicknames, masked phones. */
  WECHAT_MINI_PROGRAM,
  /** A store's own Excel sheet: 王先生-style names, year-less birthdays, a 备注 column. */
  STORE_SHEET
}
