package com.onemember.connectors.frame;

import java.util.List;

/**
 * A pushing system that can say whether it still sends the hub its webhooks. WooCommerce, for one,
 * disables a webhook after five failed deliveries in a row and tells nobody; the hub asks after
 * each reconciliation sync and shows the answer on the connector's status.
 */
public interface WebhookHealth {

  /**
   * What is wrong with the system's webhooks to {@code /hooks/<connector-id>}, each in words IT
   * staff act on (Chinese and English); empty when they all fire.
   *
   * @throws SourceUnavailable when the system could not be asked
   */
  List<String> webhookProblems(ConnectorInstance instance) throws SourceUnavailable;
}
