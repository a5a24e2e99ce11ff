package com.onemember.mdm.audit;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hub's word that it wrote a merge-log entry: an HMAC-SHA256, under a key the database never
 * holds, over what the hub decided (see {@link MergeLog#attestedText}). The hub's database role may
 * insert rows into the log, so whoever gets hold of its credentials can too; without this key they
 * cannot make a row that {@link MergeLog#verify} accepts as the hub's.
 *
 * <p>An attestation reads {@code <nonce>.<mac>}: the nonce makes two identical decisions carry
 * different attestations, so that the database's unique index refuses a copied one.
 */
public final class EntryAttestations {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  /**
   * A keyed MAC per thread: every append and every entry a verify walks is one MAC, and looking the
   * algorithm up and keying it anew each time cost more than the MAC itself.
   */
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

  /**
   * @param key at least 32 bytes that only the hub holds
   */
  public EntryAttestations(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("an attestation key needs at least 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  /** A fresh attestation of {@code text}, with a nonce of its own. */
  public String attest(String text) {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String n = Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
    return n + "." + mac(n, text);
  }

  /** Whether {@code attestation} was made by this key for exactly {@code text}. */
  public boolean attests(String text, String attestation) {
    int dot = attestation == null ? -1 : attestation.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    String expected = mac(attestation.substring(0, dot), text);
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        attestation.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
  }

  private String mac(String nonce, String text) {
    Mac mac = macs.get();
    mac.update(nonce.getBytes(StandardCharsets.US_ASCII));
    mac.update((byte) '\n');
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }
}
