package com.onemember.mdm.matchmodels;

/**
 * One evidence pattern among a model's training pairs: how many pairs showed it and the mean match
 * probability the model gives them, beside the probability the model active at training time gave
 * the same pairs. Without labels the hub cannot know the true share of matches per pattern (the
 * benchmark measures that on labelled data); what it can show a steward before activation is which
 * kinds of evidence the new weights trust more or less.
 *
 * @param pattern the levels reached ({@link com.onemember.mdm.scoring.EvidencePattern})
 * @param activeProbability the same pairs under the model active when this one was trained
 */
public record CalibrationRow(
    String pattern, int pairs, double probability, double activeProbability) {}
