package com.onemember.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A member of staff who serves ("follows up", 跟进) a customer, as one system says: typically a store
 * employee who keeps the customer as a WeCom (企业微信) external contact. The hub does not check the
 * staff id against any directory; it is the system's own user id, meaningful only together with
 * {@code source}.
 *
 * @param source the system that says so (a connector id such as {@code wecom-contacts-it}); in a
 *     {@link SourceRecord} it may be {@code null}, standing for the record's own source
 * @param staffId the staff member's user id in that system (a WeCom userid such as {@code
 *     zhangwei}), not a name
 * @param since when the relationship was formed (WeCom's {@code createtime}); {@code null} if the
 *     system does not say
 * @param departedAt when the staff member left the company; set while their customers wait to be
 *     handed to someone else (WeCom's 离职继承), {@code null} while they work there. Such staff are
 *     still listed: until the transfer they remain the customer's contact on record.
 */
public record ServingStaff(
    String source,
    String staffId,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant since,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant departedAt) {

  /** Staff named by {@code source} as serving the customer, with no dates known. */
  public static ServingStaff of(String source, String staffId) {
    return new ServingStaff(source, staffId, null, null);
  }
}
