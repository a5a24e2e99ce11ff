package com.onemember.connectors.frame;

/** What kind of failure ended a sync, for the run's record and for IT staff. */
public enum FailureKind {
  /** The instance file is wrong: credentials, address, database or table. Fix the file. */
  CONFIGURATION,
  /** The system could not be reached or is busy: tried again with backoff. */
  TRANSIENT,
  /** The system answered with an error. */
  SOURCE_SYSTEM
}
