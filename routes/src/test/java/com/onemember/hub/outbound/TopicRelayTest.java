package com.onemember.hub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicRelayTest {

  @Test
  void anEventsSourcesAreListedOnceEachBetweenCommasForASelector() {
    String event =
        """
        {"type":"UPDATED","sourceRecords":[
          {"source":"shop-woo","sourceRecordId":"1004"},
          {"source":"store-sh-29","sourceRecordId":"r1"},
          {"source":"shop-woo","sourceRecordId":"1005"}]}""";
    assertThat(TopicRelay.sources(event)).isEqualTo(",shop-woo,store-sh-29,");
    // "shop" is not "shop-woo": the commas keep a LIKE from matching a prefix
    assertThat(TopicRelay.sources(event)).doesNotContain(",shop,");
  }

  @Test
  void anEventWithoutRecordsOrNotJsonNamesNoSource() {
    assertThat(TopicRelay.sources("{\"type\":\"ERASED\"}")).isEqualTo(",,");
    assertThat(TopicRelay.sources("not json")).isEqualTo(",");
  }
}
