package com.onemember.connectors.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class NamedStatementTest {

  @Test
  void namedParametersBecomeQuestionMarksInOrder() {
    NamedStatement s =
        NamedStatement.parse(
            "update customers set notes = :tags where id = :customer_id and :tags <> ''",
            Set.of("customer_id", "tags"));

    assertThat(s.sql()).isEqualTo("update customers set notes = ? where id = ? and ? <> ''");
    assertThat(s.parameters()).containsExactly("tags", "customer_id", "tags");
  }

  @Test
  void aPostgresCastIsNotAParameter() {
    NamedStatement s =
        NamedStatement.parse(
            "insert into links values (:customer_id, :golden_id::uuid)",
            Set.of("customer_id", "golden_id"));

    assertThat(s.sql()).isEqualTo("insert into links values (?, ?::uuid)");
    assertThat(s.parameters()).containsExactly("customer_id", "golden_id");
  }

  @Test
  void anUnknownParameterIsNamedWithTheOnesOnOffer() {
    assertThatThrownBy(
            () -> NamedStatement.parse("update c set g = :goldenid", Set.of("golden_id")))
        .hasMessageContaining("unknown parameter :goldenid")
        .hasMessageContaining("golden_id");
  }
}
