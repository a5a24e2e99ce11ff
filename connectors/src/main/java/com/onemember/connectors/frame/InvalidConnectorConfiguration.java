package com.onemember.connectors.frame;

import java.util.List;
import java.util.stream.Collectors;

/** The connector instance files cannot be used as they are: every problem, file and key named. */
public final class InvalidConnectorConfiguration extends RuntimeException {

  private final List<ConfigurationProblem> problems;

  public InvalidConnectorConfiguration(List<ConfigurationProblem> problems) {
    super(
        "连接器配置有误，服务未启动 / the connector files are not valid, the hub does not start:\n  "
            + problems.stream().map(Object::toString).collect(Collectors.joining("\n  ")));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigurationProblem> problems() {
    return problems;
  }
}
