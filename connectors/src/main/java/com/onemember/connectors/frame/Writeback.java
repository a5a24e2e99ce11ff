package com.onemember.connectors.frame;

import java.util.List;
import java.util.UUID;

/**
 * What the hub writes back to a system for one of its records: the golden member id the record
 * belongs to now and, unless the change came from the system itself, the member's tags.
 *
 * @param sourceRecordId the record's id in the system (its row key)
 * @param tags the golden tags by name; {@code null} when the event carries only the link (the
 *     system's own change coming back: no news for it, only where its record now belongs)
 */
public record Writeback(String sourceRecordId, UUID goldenId, List<String> tags) {

  public Writeback {
    tags = tags == null ? null : List.copyOf(tags);
  }
}
