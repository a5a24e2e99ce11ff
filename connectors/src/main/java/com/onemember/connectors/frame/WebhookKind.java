package com.onemember.connectors.frame;

import com.onemember.canonical.SourceRecord;
import java.util.List;
import java.util.Map;

/**
 * A kind whose system pushes its changes to the hub ({@link Transport#WEBHOOK}) at {@code
 * /hooks/<connector-id>}. The hub checks each request with {@link #verify} before answering, keeps
 * it on a durable queue, answers at once, and later reads it ({@link #read}) into pushes. A push
 * may carry only the fields that changed: the hub merges it over the record's last document and
 * maps the result ({@link #map}).
 */
public interface WebhookKind extends ConnectorKind {

  @Override
  default Transport transport() {
    return Transport.WEBHOOK;
  }

  /**
   * Checks that the request comes from the instance's system by the system's own signature scheme.
   *
   * @throws HookRefused naming what is wrong (a missing or wrong signature, a stale timestamp)
   */
  void verify(ConnectorInstance instance, HookRequest request) throws HookRefused;

  /**
   * The pushes a verified request carries, in order.
   *
   * @throws HookRefused when the body cannot be read at all (not the system's format)
   */
  List<Push> read(ConnectorInstance instance, HookRequest request) throws HookRefused;

  /**
   * The system's own id of this delivery, when its scheme gives one (a webhook delivery id, a
   * message id): a request with an id the hub has taken already changes nothing. {@code null} when
   * the request carries none.
   */
  default String deliveryId(HookRequest request) {
    return null;
  }

  /**
   * As {@link #deliveryId(HookRequest)}, for a kind that needs the instance to find the id (inside
   * a message encrypted with the instance's key).
   */
  default String deliveryId(ConnectorInstance instance, HookRequest request) {
    return deliveryId(request);
  }

  /**
   * The answer to a {@code GET /hooks/<connector-id>} with which a system checks the address before
   * it pushes (WeChat's {@code echostr}): empty when the kind takes no such check.
   *
   * @throws HookRefused when the check's signature is wrong
   */
  default java.util.Optional<String> check(ConnectorInstance instance, Map<String, String> query)
      throws HookRefused {
    return java.util.Optional.empty();
  }

  /**
   * A push completed with what the system gives only when asked (the fields of a member card's
   * activation form): called where the hub takes the push from its queue, never while the system
   * waits for its answer. By default the push itself.
   *
   * @throws SourceUnavailable when the system could not be asked: the push is taken again later
   */
  default Push resolve(ConnectorInstance instance, Push push) throws SourceUnavailable {
    return push;
  }

  /**
   * The field of a push that orders the record's versions (a modification time, a version number),
   * when the system gives one: a push older than the record's last document is a delivery that
   * arrived late and changes nothing. {@code null} when the system gives none; pushes then apply in
   * the order they arrive.
   */
  default String versionField() {
    return null;
  }

  /**
   * What the hub answers once it holds a request (or, for a request that carries no change, such as
   * a system's test ping, at once): by default 202 with {@code {"accepted":true}}; a system that
   * wants its own answer (an exact 200, a JSON of its own) says so here.
   */
  default Accepted accepted() {
    return Accepted.DEFAULT;
  }

  /** The HTTP status, body and content type of the hub's answer to a request it took. */
  record Accepted(int status, String body, String contentType) {
    public static final Accepted DEFAULT = new Accepted(202, "{\"accepted\":true}");

    /** An answer in JSON. */
    public Accepted(int status, String json) {
      this(status, json, "application/json");
    }

    /** An answer in plain text (WeChat's {@code success}). */
    public static Accepted text(int status, String body) {
      return new Accepted(status, body, "text/plain");
    }
  }

  /**
   * The record a document stands for: the merge of every push for its key so far.
   *
   * @param source the connector's id, the source name of its records
   * @throws SourceTable.RowRejected when the document cannot be a record, with the reason in words
   */
  SourceRecord map(String source, Map<String, String> document);

  /**
   * One change a request carries.
   *
   * @param key the record's id in the system; {@code null} when the change names none (rejected)
   * @param fields the fields that changed, flattened ({@code address.city}); a {@code null} value
   *     clears that field; fields not named keep their last value
   * @param change what the system says of the record
   * @param raw the change as it came, for a rejection
   */
  record Push(String key, Map<String, String> fields, Change change, String raw) {

    /** The record is new or changed. */
    public static Push upsert(String key, Map<String, String> fields, String raw) {
      return new Push(key, fields, Change.UPSERT, raw);
    }

    /** The system deleted the record. */
    public static Push deletion(String key, String raw) {
      return new Push(key, Map.of(), Change.DELETE, raw);
    }

    /** The system asks the hub to erase what it holds of the record (a privacy request). */
    public static Push erasure(String key, String raw) {
      return new Push(key, Map.of(), Change.ERASE, raw);
    }

    /**
     * The system passes on its customer's request for the data the hub holds of them (a privacy
     * law's right of access): kept and listed for the system's owner, with what the hub holds.
     */
    public static Push dataRequest(String key, String raw) {
      return new Push(key, Map.of(), Change.DATA_REQUEST, raw);
    }

    /**
     * The system asks the hub to erase every record it holds of it (a shop that left: Shopify's
     * shop/redact); the push names no record.
     */
    public static Push erasureOfAll(String raw) {
      return new Push(null, Map.of(), Change.ERASE_ALL, raw);
    }

    /** The system changed records the push does not name: read it now. */
    public static Push readAgain(String raw) {
      return new Push(null, Map.of(), Change.READ_AGAIN, raw);
    }

    public boolean deleted() {
      return change == Change.DELETE;
    }
  }

  /** What a push says of its record. */
  enum Change {
    /** New or changed: merged over the record's last document and mapped. */
    UPSERT,
    /** Deleted in the system: its source record is withdrawn. */
    DELETE,
    /**
     * To be erased: its source record is withdrawn and what the hub kept of it is forgotten,
     * including the member's history that may hold its values.
     */
    ERASE,
    /** A customer's request for their data: kept and listed with what the hub holds of them. */
    DATA_REQUEST,
    /** Every record of the system is to be erased, as {@link #ERASE} erases one. */
    ERASE_ALL,
    /**
     * The system changed records the push does not name (WeCom: a staff member left, and their
     * customers now await a transfer): the hub reads the system now rather than at the next tick.
     */
    READ_AGAIN
  }
}
