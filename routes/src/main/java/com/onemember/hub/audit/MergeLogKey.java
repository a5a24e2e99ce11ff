package com.onemember.hub.audit;

import com.onemember.hub.secrets.SecretFiles;
import com.onemember.mdm.audit.EntryAttestations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that anchors the merge log outside its database: an Ed25519 key pair that signs the
 * checkpoints, and from which the key of the entries' attestations is derived. The database never
 * holds it. It comes from {@code onemember.merge-log.key} (the environment) or from the key file,
 * made at the first start with owner-only permissions; the public half is written beside it ({@code
 * .pub}) for auditors who check the checkpoint file with tools of their own.
 *
 * <p>Format (file or environment): {@code ed25519:<PKCS#8 private key>:<X.509 public key>}, both in
 * Base64. The public key is kept because the JDK cannot derive it from the private one.
 */
public final class MergeLogKey {

  private static final String PREFIX = "ed25519:";

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String id;
  private final byte[] attestationKey;

  private MergeLogKey(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.id =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()))
            .substring(0, 16);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(privateKey.getEncoded(), "HmacSHA256"));
    this.attestationKey =
        mac.doFinal("onemember merge-log entry attestation v1".getBytes(StandardCharsets.UTF_8));
    byte[] probe = "probe".getBytes(StandardCharsets.UTF_8);
    if (!verifies(probe, sign(probe))) {
      throw new InvalidKeyException("the public key is not the private key's");
    }
  }

  /** The key from the environment if given there, else from (or made into) the key file. */
  static MergeLogKey load(MergeLogSettings settings) throws IOException {
    try {
      if (settings.key() != null && !settings.key().isBlank()) {
        return parse(settings.key().strip(), "onemember.merge-log.key");
      }
      SecretFiles.Secret text = SecretFiles.readOrCreate(settings.keyFile(), MergeLogKey::generate);
      MergeLogKey key = parse(text.value(), settings.keyFile().toString());
      Path pub = Path.of(settings.keyFile() + ".pub");
      String publicText = Base64.getEncoder().encodeToString(key.publicKey.getEncoded()) + "\n";
      if (!Files.exists(pub) || !Files.readString(pub, StandardCharsets.UTF_8).equals(publicText)) {
        Files.writeString(pub, publicText, StandardCharsets.UTF_8);
      }
      return key;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "合并日志签名密钥无法读取 / The merge log's signing key cannot be read (expected"
              + " ed25519:<private>:<public>, Base64): "
              + e.getMessage(),
          e);
    }
  }

  private static MergeLogKey parse(String text, String where) throws GeneralSecurityException {
    String[] parts = text.split(":");
    if (parts.length != 3 || !text.startsWith(PREFIX)) {
      throw new IllegalArgumentException(where + " is not in the expected format");
    }
    KeyFactory keys = KeyFactory.getInstance("Ed25519");
    return new MergeLogKey(
        keys.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(parts[1]))),
        keys.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(parts[2]))));
  }

  private static String generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return PREFIX
          + Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded())
          + ":"
          + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM since 15 has Ed25519", e);
    }
  }

  /** Sixteen hex digits of the public key's SHA-256: which key signed a checkpoint. */
  public String id() {
    return id;
  }

  /** The public key, X.509 in Base64, as the {@code .pub} file holds it. */
  public String publicKey() {
    return Base64.getEncoder().encodeToString(publicKey.getEncoded());
  }

  /** The attestations of merge-log entries, under a key derived from this one. */
  public EntryAttestations attestations() {
    return new EntryAttestations(attestationKey);
  }

  String sign(byte[] message) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(message);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with the merge log's key", e);
    }
  }

  boolean verifies(byte[] message, String signature) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(publicKey);
      s.update(message);
      return s.verify(Base64.getDecoder().decode(signature));
    } catch (SignatureException | IllegalArgumentException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot verify with the merge log's key", e);
    }
  }
}
