package com.onemember.connectors.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SignaturesTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void hmacMatchesRfc4231TestCase2() {
    assertEquals(
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        HexFormat.of()
            .formatHex(
                Signatures.hmacSha256("Jefe", utf8("what do ya "), utf8("want for nothing?"))));
  }

  @Test
  void timestampedSignsTimestampDotBody() {
    String body = "{\"name\":\"王芳\",\"mobile\":\"13912345678\"}";
    assertEquals(
        "sha256="
            + HexFormat.of().formatHex(Signatures.hmacSha256("s3cret", utf8("1765000000." + body))),
        Signatures.timestamped("s3cret", "1765000000", utf8(body)));
  }

  @Test
  void sameAcceptsOnlyTheExpectedSignature() {
    String expected = Signatures.timestamped("s3cret", "1765000000", utf8("{}"));
    assertTrue(Signatures.same(expected, expected + "  "));
    assertFalse(Signatures.same(expected, expected.replace('a', 'b').replace('1', '2')));
    assertFalse(
        Signatures.same(expected, Signatures.timestamped("s3cret", "1765000001", utf8("{}"))));
    assertFalse(Signatures.same(expected, null));
    assertFalse(Signatures.same(expected, ""));
  }
}
