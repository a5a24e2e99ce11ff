/**
 * The match-quality and speed benchmark ({@link com.onemember.mdm.bench.MatchBench}): public person
 * datasets with ground truth, loaded into the canonical match features, scored with a model trained
 * without labels, clustered, and measured.
 */
package com.onemember.mdm.bench;
