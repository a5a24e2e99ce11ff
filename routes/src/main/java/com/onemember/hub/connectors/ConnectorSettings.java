package com.onemember.hub.connectors;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code onemember.connectors.*}.
 *
 * @param dir the directory of instance files, one YAML file per connector
 * @param maxBackoff the longest a failing connector waits before it tries again (the wait doubles
 *     from its schedule with each failure in a row)
 */
@ConfigurationProperties("onemember.connectors")
public record ConnectorSettings(
    @DefaultValue("./config/connectors") Path dir, @DefaultValue("5m") Duration maxBackoff) {}
