package com.onemember.hub.imports;

/**
 * JMS properties that travel with a source record on {@code onemember.inbound}: the import row it
 * came from, so the ingest route can settle it, or the connector that read it.
 */
public final class InboundHeaders {

  /** The import's id (UUID text). */
  public static final String IMPORT_ID = "OneMemberImportId";

  /** The data-row number within the import, from 1. */
  public static final String IMPORT_ROW = "OneMemberImportRow";

  /**
   * On a chunk of an import's rows instead of one record: the first and last row numbers of the
   * chunk (the rows themselves are read from {@code import_row}).
   */
  public static final String IMPORT_FROM_ROW = "OneMemberImportFromRow";

  public static final String IMPORT_TO_ROW = "OneMemberImportToRow";

  /**
   * On a record a connector read: the connector's id, so that a record the ingest refuses is stored
   * with its reason among the connector's rejections.
   */
  public static final String CONNECTOR = "OneMemberConnector";

  /**
   * On a message that withdraws a record instead of carrying one: the record's id in the connector
   * whose system deleted it ({@link #CONNECTOR}).
   */
  public static final String WITHDRAW = "OneMemberWithdraw";

  /**
   * On a message that erases a record at its system's request (a privacy request): the record's id
   * in {@link #CONNECTOR}; the value of the header is the request in words.
   */
  public static final String ERASE = "OneMemberErase";

  /** The request an {@link #ERASE} carries out, in words (the system's topic and its id). */
  public static final String ERASE_REQUEST = "OneMemberEraseRequest";

  /**
   * The work the message belongs to ({@link com.onemember.mdm.trace.Correlation}): the import, the
   * connector run or the push; the ingest logs under it and stores it with the golden events.
   */
  public static final String CORRELATION = "OneMemberCorrelationId";

  /** The queue every inbound source record goes through. */
  public static final String INBOUND_ENDPOINT = "jms:queue:onemember.inbound";

  private InboundHeaders() {}
}
