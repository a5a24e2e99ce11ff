package com.onemember.hub.connectors;

import com.onemember.connectors.frame.InvalidConnectorConfiguration;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a wrong connector file into Spring Boot's "APPLICATION FAILED TO START" with every file and
 * key named and what to do, instead of a stack trace an IT person has to read through.
 */
class ConnectorConfigurationFailureAnalyzer
    extends AbstractFailureAnalyzer<InvalidConnectorConfiguration> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidConnectorConfiguration cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "修改上述连接器文件后重新启动 / Correct the connector files named above"
            + " (onemember.connectors.dir) and start the hub again.",
        cause);
  }
}
