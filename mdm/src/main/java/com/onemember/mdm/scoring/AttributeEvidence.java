package com.onemember.mdm.scoring;

/**
 * What one attribute contributed to a pair's score.
 *
 * @param level the level's name, e.g. "same pinyin"; "missing" when a side lacks the value
 * @param weight log2 Bayes factor this level added (0 when missing)
 */
public record AttributeEvidence(Comparison comparison, String level, double weight) {}
