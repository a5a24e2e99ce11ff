package com.onemember.mdm.bench;

import com.onemember.mdm.scoring.MatchRecord;

/**
 * A benchmark record with its ground truth.
 *
 * @param entity records with the same entity are the same person
 */
record LabelledRecord(String entity, MatchRecord record) {}
