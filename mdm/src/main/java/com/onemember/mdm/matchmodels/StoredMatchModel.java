package com.onemember.mdm.matchmodels;

import com.onemember.mdm.matching.MatchThresholds;
import com.onemember.mdm.matching.MemberMatcher;
import com.onemember.mdm.scoring.MatchModel;
import com.onemember.mdm.scoring.MatchModelText;
import com.onemember.mdm.store.RecordJson;
import java.time.Instant;
import java.util.List;

/**
 * A match model as the hub keeps it: weights and thresholds under a version, where they came from
 * and on how many records they were estimated.
 *
 * @param version {@link #versionOf}: the same weights and thresholds give the same version on any
 *     hub, any change gives another
 * @param modelText every weight, the prior and the term frequencies ({@link MatchModelText})
 * @param origin in words: "shipped model …", "trained on 81234 stored records", …
 * @param trainedRecords records the weights were estimated on; {@code null} when not trained here
 * @param trainingPairs candidate pairs the estimate saw; {@code null} when not trained here
 */
public record StoredMatchModel(
    String version,
    String modelText,
    MatchThresholds thresholds,
    String origin,
    Integer trainedRecords,
    Integer trainingPairs,
    List<CalibrationRow> calibration,
    Instant createdAt,
    String createdBy) {

  public StoredMatchModel {
    calibration = List.copyOf(calibration);
  }

  /** A model not stored yet, under the version its weights and thresholds give. */
  static StoredMatchModel of(
      MatchModel model,
      MatchThresholds thresholds,
      String origin,
      Integer trainedRecords,
      Integer trainingPairs,
      List<CalibrationRow> calibration,
      Instant createdAt,
      String createdBy) {
    String text = MatchModelText.write(model);
    return new StoredMatchModel(
        versionOf(text, thresholds),
        text,
        thresholds,
        origin,
        trainedRecords,
        trainingPairs,
        calibration,
        createdAt,
        createdBy);
  }

  /**
   * The version that names a model and its thresholds: the first 12 hex digits of the SHA-256 of
   * the model's text and the thresholds.
   */
  static String versionOf(String modelText, MatchThresholds thresholds) {
    String text =
        modelText + "merge\t" + thresholds.merge() + "\nreview\t" + thresholds.review() + "\n";
    return RecordJson.sha256(text).substring(0, 12);
  }

  /** The weights, read back; fails when they do not fit this version of the hub's comparisons. */
  public MatchModel model() {
    return MatchModelText.read(modelText);
  }

  /** A matcher deciding with these weights and thresholds under this version. */
  public MemberMatcher matcher() {
    return new MemberMatcher(model(), thresholds, version);
  }
}
