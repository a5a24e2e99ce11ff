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
 * @param maxWithdrawShare the share of the rows the last syncs saw that one sync may find deleted
 *     and withdraw; beyond it the sync withdraws nothing and fails, as a database that suddenly
 *     lacks most customers is more likely the wrong one or a restored backup
 */
@ConfigurationProperties("onemember.connectors")
public record ConnectorSettings(
    @DefaultValue("./config/connectors") Path dir,
    @DefaultValue("5m") Duration maxBackoff,
    @DefaultValue("0.5") double maxWithdrawShare) {}
