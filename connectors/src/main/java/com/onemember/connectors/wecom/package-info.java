/**
 * The {@code wecom-contacts} kind: WeCom (企业微信) customer contact. The customers store staff keep as
 * external contacts, one record per customer and staff member ({@link
 * com.onemember.connectors.wecom.WeComContacts}), kept current by encrypted callbacks ({@link
 * com.onemember.connectors.wecom.WeComContactsKind}), golden tags written back as corporate tags
 * ({@link com.onemember.connectors.wecom.WeComTags}), and a departed staff member's customers
 * handed to another (离职继承), all over WeCom's server API ({@link
 * com.onemember.connectors.wecom.WeComApi}).
 */
package com.onemember.connectors.wecom;
