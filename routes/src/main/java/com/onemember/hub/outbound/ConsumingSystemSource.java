package com.onemember.hub.outbound;

import java.util.List;

/**
 * Contributes consuming systems known only at start-up (a connector's writeback, one per instance
 * file that asks for it), beside the {@link ConsumingSystem} beans and configured webhooks.
 */
public interface ConsumingSystemSource {

  List<ConsumingSystem> consumingSystems();
}
