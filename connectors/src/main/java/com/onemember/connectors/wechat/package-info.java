/**
 * What WeChat's (微信) and WeCom's (企业微信) push protocols share, for the connector kinds built on
 * them: the push signatures and the AES encryption of safe mode ({@link WeChatCrypto}), and
 * messages in XML or JSON read without DOCTYPEs ({@link PushMessages}).
 */
package com.onemember.connectors.wechat;
