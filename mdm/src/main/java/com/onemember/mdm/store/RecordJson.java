package com.onemember.mdm.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.onemember.canonical.Member;
import com.onemember.canonical.SourceRecord;
import com.onemember.mdm.standardize.StandardizedRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of the canonical types in the database. One mapper, configured once, so that the
 * same record always serialises to the same text: the content hash that makes ingest idempotent
 * depends on it.
 */
public final class RecordJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private RecordJson() {}

  /** The shared mapper; also used to read source records off the queue. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("canonical types always serialise", e);
    }
  }

  public static Member member(String json) {
    return read(json, new TypeReference<>() {});
  }

  public static SourceRecord sourceRecord(String json) {
    return read(json, new TypeReference<>() {});
  }

  public static StandardizedRecord clean(String json) {
    return read(json, new TypeReference<>() {});
  }

  public static Map<String, String> raw(String json) {
    return read(json, new TypeReference<>() {});
  }

  public static List<String> lines(String json) {
    return read(json, new TypeReference<>() {});
  }

  /** Hex SHA-256 of a text, used as content hash. */
  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON does not fit " + type.getType(), e);
    }
  }
}
