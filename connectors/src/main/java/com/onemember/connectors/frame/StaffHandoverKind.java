package com.onemember.connectors.frame;

import java.util.List;

/**
 * A kind whose system assigns customers to staff members and can hand a departed staff member's
 * customers to another (WeCom's 离职继承): the hub asks for the handover, the system carries it out
 * (WeCom: the takeover gets the customers after 24 hours unless a customer refuses) and the next
 * read shows where each customer went.
 */
public interface StaffHandoverKind extends ConnectorKind {

  /**
   * Asks the system to hand {@code customers} (the system's customer ids) of staff member {@code
   * from} to staff member {@code to}.
   *
   * @return one answer per customer, in order
   * @throws HandoverRefused when the system refuses the whole request, in words for the person who
   *     asked (the staff member has not left, the takeover is unknown...)
   * @throws SourceUnavailable when the system could not be asked
   */
  List<Handover> handOver(
      ConnectorInstance instance, String from, String to, List<String> customers)
      throws HandoverRefused, SourceUnavailable;

  /**
   * The key of the record of {@code customer}'s relationship with staff member {@code staffId}: the
   * hub keeps the record of the relationship a handover ends until it has read this one.
   */
  String recordKey(String customer, String staffId);

  /**
   * The system's answer for one customer.
   *
   * @param started the system took it (it may still complete later)
   * @param reason why not, in words, when not started
   */
  record Handover(String customer, boolean started, String code, String reason) {}

  /** The request as a whole was refused: the words say why and what to do. */
  final class HandoverRefused extends Exception {
    private final String code;

    public HandoverRefused(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }
}
