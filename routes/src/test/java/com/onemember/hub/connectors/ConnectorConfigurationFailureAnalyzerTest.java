package com.onemember.hub.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.connectors.frame.ConfigurationProblem;
import com.onemember.connectors.frame.InvalidConnectorConfiguration;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;

/** A wrong instance file stops the start with the file, the key and what to do, not a trace. */
class ConnectorConfigurationFailureAnalyzerTest {

  @Test
  void namesEveryFileAndKeyAndSaysWhatToDo() {
    var failure =
        new BeanCreationException(
            "connectorRegistry",
            "failed",
            new InvalidConnectorConfiguration(
                List.of(
                    new ConfigurationProblem(
                        Path.of("config/connectors/pos-shanghai.yaml"),
                        "/parameters/password",
                        "环境变量 POS_SHANGHAI_DB_PASSWORD 未设置 / the environment variable"
                            + " POS_SHANGHAI_DB_PASSWORD is not set"))));

    var analysis = new ConnectorConfigurationFailureAnalyzer().analyze(failure);

    assertThat(analysis.getDescription())
        .contains("pos-shanghai.yaml /parameters/password: ")
        .contains("POS_SHANGHAI_DB_PASSWORD is not set");
    assertThat(analysis.getAction()).contains("Correct the connector files");
  }
}
