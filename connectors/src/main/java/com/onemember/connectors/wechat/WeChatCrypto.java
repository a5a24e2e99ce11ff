package com.onemember.connectors.wechat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat's message-push security, as its WXBizMsgCrypt sample defines it (and WeCom's callbacks use
 * too): a signature that is the SHA-1 of the sorted token, timestamp, nonce (and, in safe mode, the
 * encrypted message); and AES-256-CBC with the key {@code Base64(EncodingAESKey + "=")}, the key's
 * first 16 bytes as IV, PKCS#7 padding to 32-byte blocks, over 16 random bytes, the message's
 * length (4 bytes, big-endian), the message and the app id (or corp id) it is meant for.
 */
public final class WeChatCrypto {

  private static final int BLOCK = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;
  private final String receiverId;

  /**
   * @param encodingAesKey the 43 characters set in the app's console
   * @param receiverId the app id (or WeCom corp id) a message must be meant for
   * @throws IllegalArgumentException when the key is not 43 characters of Base64
   */
  public WeChatCrypto(String encodingAesKey, String receiverId) {
    if (encodingAesKey == null || encodingAesKey.length() != 43) {
      throw new IllegalArgumentException(
          "EncodingAESKey 应为 43 个字符 / the EncodingAESKey must be 43 characters");
    }
    this.key = Base64.getDecoder().decode(encodingAesKey + "=");
    this.receiverId = receiverId;
  }

  /** The lowercase hex SHA-1 of the parts sorted and joined, as WeChat signs. */
  public static String signature(String... parts) {
    String[] sorted = parts.clone();
    Arrays.sort(sorted);
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return HexFormat.of()
          .formatHex(sha1.digest(String.join("", sorted).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A push's or callback's {@code timestamp} and {@code nonce} are there, and the timestamp within
   * {@code maxSkew} seconds of the clock: a captured request cannot be played again later.
   */
  public static void fresh(java.util.Map<String, String> query, long maxSkew, java.time.Clock clock)
      throws com.onemember.connectors.frame.HookRefused {
    String timestamp = query.get("timestamp");
    if (query.get("nonce") == null || timestamp == null) {
      throw new com.onemember.connectors.frame.HookRefused(
          401, "缺少 timestamp 或 nonce 参数 / the request carries no timestamp or nonce parameter");
    }
    com.onemember.connectors.frame.Signatures.fresh("timestamp", timestamp, maxSkew, clock);
  }

  /** Whether {@code given} is the signature of the parts, compared in constant time. */
  public static boolean signed(String given, String... parts) {
    return given != null
        && MessageDigest.isEqual(
            signature(parts).getBytes(StandardCharsets.US_ASCII),
            given.strip().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The message inside {@code encrypted} (Base64).
   *
   * @throws IllegalArgumentException when it cannot be decrypted, is malformed, or is meant for
   *     another app: the words say which
   */
  public String decrypt(String encrypted) {
    byte[] plain;
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new IvParameterSpec(Arrays.copyOfRange(key, 0, 16)));
      plain = cipher.doFinal(Base64.getDecoder().decode(encrypted.strip()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "无法解密，请检查 encoding-aes-key / the message cannot be decrypted: check"
              + " encoding-aes-key",
          e);
    }
    int pad = plain.length == 0 ? 0 : plain[plain.length - 1] & 0xff;
    if (pad < 1 || pad > BLOCK || pad > plain.length || plain.length < 20 + pad) {
      throw new IllegalArgumentException(
          "解密后的内容格式不对，请检查 encoding-aes-key / the decrypted message is malformed"
              + " (padding): check encoding-aes-key");
    }
    int length = ByteBuffer.wrap(plain, 16, 4).getInt();
    int end = plain.length - pad;
    if (length < 0 || 20 + length > end) {
      throw new IllegalArgumentException(
          "解密后的内容格式不对，请检查 encoding-aes-key / the decrypted message is malformed"
              + " (length): check encoding-aes-key");
    }
    String message = new String(plain, 20, length, StandardCharsets.UTF_8);
    String to = new String(plain, 20 + length, end - 20 - length, StandardCharsets.UTF_8);
    if (receiverId != null && !receiverId.equals(to)) {
      throw new IllegalArgumentException(
          "消息属于 "
              + to
              + "，不是 "
              + receiverId
              + " / the message is meant for "
              + to
              + ", not "
              + receiverId);
    }
    return message;
  }

  /** {@code message} encrypted for the receiver, Base64: what WeChat would send. */
  String encrypt(String message) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    byte[] to = receiverId.getBytes(StandardCharsets.UTF_8);
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    int unpadded = 20 + text.length + to.length;
    int pad = BLOCK - unpadded % BLOCK;
    ByteBuffer plain = ByteBuffer.allocate(unpadded + pad);
    plain.put(random).putInt(text.length).put(text).put(to);
    for (int i = 0; i < pad; i++) {
      plain.put((byte) pad);
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new IvParameterSpec(Arrays.copyOfRange(key, 0, 16)));
      return Base64.getEncoder().encodeToString(cipher.doFinal(plain.array()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
