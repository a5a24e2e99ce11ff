package com.onemember.connectors.frame;

/**
 * A system's own write call for golden ids and tags, as a kind implements it. The hub delivers to
 * it from a durable subscription to golden-record events, with retries, backoff and dead letters;
 * the sink only writes, or says why it could not.
 */
public interface WritebackSink extends AutoCloseable {

  /**
   * Writes one record's golden id (and tags, when given); returns only when the system took it.
   *
   * @throws Refused with a reason IT staff can act on
   */
  void write(Writeback writeback) throws Refused;

  @Override
  default void close() {}

  /** Why the system did not take a writeback, in Chinese and English. */
  final class Refused extends Exception {
    public Refused(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
