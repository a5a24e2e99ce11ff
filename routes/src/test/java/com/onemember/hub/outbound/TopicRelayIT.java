package com.onemember.hub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.canonical.Identifier;
import com.onemember.canonical.IdentifierType;
import com.onemember.canonical.SourceRecord;
import com.onemember.hub.support.HubIT;
import com.onemember.mdm.ingest.bulk.SourceRecordIngest;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The outbox relay publishes a batch per broker transaction, and a batch the broker already took (a
 * hub that crashed between the broker's commit and its own position's) neither stalls it nor
 * reaches a subscriber twice: the broker refuses the whole transaction for its duplicate ids, and
 * the relay sends the batch again one event at a time, which the broker takes past the duplicates.
 */
class TopicRelayIT extends HubIT {

  private static final String SOURCE = "pos-relay-77";

  @Autowired SourceRecordIngest ingest;
  @Autowired ConnectionFactory connectionFactory;
  @Autowired JdbcTemplate jdbc;

  @Test
  void aBatchSentAgainAfterACrashReachesSubscribersOnceAndTheRelayGoesOn() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    try (Connection connection = connectionFactory.createConnection()) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer =
          session.createConsumer(
              session.createTopic(TopicRelay.ADDRESS), "originSource = '" + SOURCE + "'");
      consumer.setMessageListener(
          m -> {
            try {
              received.add(m.getStringProperty("eventId"));
            } catch (jakarta.jms.JMSException e) {
              throw new IllegalStateException(e);
            }
          });
      connection.start();

      for (int i = 0; i < 30; i++) {
        ingest.ingest(member(i));
      }
      List<String> first = eventIds();
      assertThat(first).hasSize(30);
      awaitReceived(received, first);

      // the hub crashed after the broker committed these events and before it kept its position:
      // the relay starts again from before them
      jdbc.update(
          "update outbox_relay set position = (select min(p.position) - 1"
              + " from golden_event_position p join golden_event e on e.seq = p.seq"
              + " where e.origin_source = ?) where name = 'topic'",
          SOURCE);
      for (int i = 30; i < 35; i++) {
        ingest.ingest(member(i));
      }
      List<String> all = eventIds();
      assertThat(all).hasSize(35);
      awaitReceived(received, all);
      // and what was sent again went to no one twice
      Thread.sleep(1000);
      Map<String, Long> times =
          received.stream()
              .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      assertThat(times).hasSize(35).allSatisfy((id, n) -> assertThat(n).isEqualTo(1L));
    }
  }

  private static void awaitReceived(List<String> received, List<String> expected) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(received).containsAll(expected));
  }

  private List<String> eventIds() {
    return jdbc
        .queryForList(
            "select event_id from golden_event where origin_source = ?", UUID.class, SOURCE)
        .stream()
        .map(UUID::toString)
        .toList();
  }

  private static final String[] NAMES = {"韦丽娟", "黄志强", "蒙秀英", "覃国华", "陆婷婷", "莫建平", "农春燕"};

  /** A different person each: a new member and one CREATED event per record. */
  private static SourceRecord member(int i) {
    String mobile = "1397770%04d".formatted(i);
    return new SourceRecord(
        SOURCE,
        "R-" + i,
        Instant.now(),
        NAMES[i % NAMES.length] + (char) ('甲' + i),
        null,
        i % 2 == 0 ? "女" : "男",
        "19%02d-%02d-%02d".formatted(60 + i, 1 + i % 12, 1 + i % 28),
        List.of(Identifier.of(IdentifierType.MOBILE, mobile)),
        List.of(),
        List.of(),
        List.of(),
        null,
        Map.of("会员卡号", "R-" + i, "手机号", mobile));
  }
}
