package com.onemember.mdm.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EntryAttestationsTest {

  private final byte[] key = new byte[32];

  {
    Arrays.fill(key, (byte) 7);
  }

  @Test
  void anAttestationHoldsForItsTextUnderItsKeyOnly() {
    EntryAttestations hub = new EntryAttestations(key);
    String text = "MERGE\n[\"m\"]\n[\"pos-store-12:card:8801\"]\nmatcher\n{}";
    String a = hub.attest(text);
    assertThat(hub.attests(text, a)).isTrue();
    assertThat(hub.attests(text.replace("matcher", "steward:王芳"), a)).isFalse();
    byte[] other = key.clone();
    other[0] = 8;
    assertThat(new EntryAttestations(other).attests(text, a)).isFalse();
  }

  @Test
  void theSameDecisionTwiceGetsTwoAttestations() {
    EntryAttestations hub = new EntryAttestations(key);
    assertThat(hub.attest("same")).isNotEqualTo(hub.attest("same"));
  }

  @Test
  void missingMalformedAndForeignAttestationsDoNotHold() {
    EntryAttestations hub = new EntryAttestations(key);
    assertThat(hub.attests("x", null)).isFalse();
    assertThat(hub.attests("x", "")).isFalse();
    assertThat(hub.attests("x", "no-dot")).isFalse();
    assertThat(hub.attests("x", ".mac-without-nonce")).isFalse();
    assertThat(hub.attests("x", "nonce." + "0".repeat(64))).isFalse();
  }

  @Test
  void aShortKeyIsRefused() {
    assertThatThrownBy(() -> new EntryAttestations(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
