package com.onemember.mdm.bench;

import com.onemember.mdm.scoring.MatchRecord;

/**
 * A benchmark record with its ground truth.
 *
 * @param entity records with the same entity are the same person
 * @param household people who share a phone; {@code null} when unknown or alone
 */
record LabelledRecord(String entity, String household, MatchRecord record) {

  LabelledRecord(String entity, MatchRecord record) {
    this(entity, null, record);
  }
}
