/**
 * The {@code wechat-miniprogram} kind ({@link MiniProgramKind}): a WeChat mini-program's members,
 * registered by its back end (login and phone codes exchanged through {@link WeChatApi}) and
 * changed by the app's pushed member-card events; golden tags written to the member card ({@link
 * MemberCards}). Also what WeChat's (微信) and WeCom's (企业微信) push protocols share: the push
 * signatures and the AES encryption of safe mode ({@link WeChatCrypto}), and messages in XML or
 * JSON read without DOCTYPEs ({@link PushMessages}).
 */
package com.onemember.connectors.wechat;
