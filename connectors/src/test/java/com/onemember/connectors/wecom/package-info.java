/**
 * A local stand-in for WeCom (企业微信) as one corporation's customer-contact (客户联系) app sees it
 * ({@link com.onemember.connectors.wecom.WeComServer}): the server API the hub calls to read staff
 * members' customers, write golden tags back as corporate tags and hand a departed member's
 * customers over (离职继承), and the encrypted callbacks WeCom sends to the hub, all over a real socket
 * and from WeCom's published documentation, so that a WeCom connector is tested against the wire
 * protocol rather than against mocks of its own client.
 */
package com.onemember.connectors.wecom;
