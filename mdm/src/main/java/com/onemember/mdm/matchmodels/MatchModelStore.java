package com.onemember.mdm.matchmodels;

import com.fasterxml.jackson.core.type.TypeReference;
import com.onemember.mdm.audit.MergeAction;
import com.onemember.mdm.audit.MergeLog;
import com.onemember.mdm.matching.MatchThresholds;
import com.onemember.mdm.store.RecordJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The stored match models and their activations ({@code V23__match_models.sql}). */
@Repository
public class MatchModelStore {

  private final JdbcTemplate jdbc;
  private final MergeLog mergeLog;

  public MatchModelStore(JdbcTemplate jdbc, MergeLog mergeLog) {
    this.jdbc = jdbc;
    this.mergeLog = mergeLog;
  }

  /** Stores a model unless its version is stored already, and answers the stored one. */
  public StoredMatchModel save(StoredMatchModel m) {
    jdbc.update(
        """
        insert into match_model (version, model, merge_probability, review_probability, origin,
                                 trained_records, training_pairs, calibration, created_at,
                                 created_by)
        values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
        on conflict (version) do nothing""",
        m.version(),
        m.modelText(),
        m.thresholds().merge(),
        m.thresholds().review(),
        m.origin(),
        m.trainedRecords(),
        m.trainingPairs(),
        RecordJson.write(m.calibration()),
        Timestamp.from(m.createdAt()),
        m.createdBy());
    return find(m.version()).orElseThrow();
  }

  public Optional<StoredMatchModel> find(String version) {
    return jdbc
        .query("select * from match_model where version = ?", MatchModelStore::model, version)
        .stream()
        .findFirst();
  }

  /** Every stored model, newest first. */
  public List<StoredMatchModel> list() {
    return jdbc.query(
        "select * from match_model order by created_at desc, version", MatchModelStore::model);
  }

  /** The latest activation: its version is the model that decides. */
  public Optional<Activation> active() {
    return jdbc
        .query(
            "select * from match_model_activation order by id desc limit 1",
            MatchModelStore::activation)
        .stream()
        .findFirst();
  }

  /** Every activation of {@code version}, latest first. */
  public List<Activation> activations(String version) {
    return jdbc.query(
        "select * from match_model_activation where version = ? order by id desc",
        MatchModelStore::activation,
        version);
  }

  /**
   * Serialises activations in the current transaction: two hubs starting at once on an empty
   * database activate the shipped model once, and two stewards activating at once are told apart.
   */
  public void lockActivations() {
    jdbc.execute("lock table match_model_activation in share row exclusive mode");
  }

  /**
   * Records that {@code model} decides from now on, in the current transaction, with an entry in
   * the merge log naming who and why (action {@code MODEL_ACTIVATED}, no member: activation changes
   * no member, it decides the records that arrive after it).
   *
   * @param impactSummary the dry run's figures for the merge log; {@code null} when none ran
   * @param impact the whole dry run, kept with the activation
   */
  public Activation recordActivation(
      StoredMatchModel model,
      String previousVersion,
      String actor,
      String reason,
      Map<String, Object> impactSummary,
      String impact,
      Instant now) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("version", model.version());
    evidence.put("previousVersion", previousVersion);
    evidence.put("reason", reason);
    evidence.put("origin", model.origin());
    evidence.put("mergeProbability", model.thresholds().merge());
    evidence.put("reviewProbability", model.thresholds().review());
    if (impactSummary != null) {
      evidence.put("impact", impactSummary);
    }
    long seq =
        mergeLog
            .append(
                MergeAction.MODEL_ACTIVATED,
                List.of(),
                List.of(),
                actor,
                RecordJson.write(evidence),
                now)
            .seq();
    Long id =
        jdbc.queryForObject(
            """
            insert into match_model_activation (version, previous_version, activated_at,
                                                activated_by, reason, impact, merge_log_seq)
            values (?, ?, ?, ?, ?, ?::jsonb, ?) returning id""",
            Long.class,
            model.version(),
            previousVersion,
            Timestamp.from(now),
            actor,
            reason,
            impact,
            seq);
    return new Activation(id, model.version(), previousVersion, now, actor, reason, impact, seq);
  }

  private static StoredMatchModel model(ResultSet rs, int i) throws SQLException {
    int trained = rs.getInt("trained_records");
    Integer trainedRecords = rs.wasNull() ? null : trained;
    int pairs = rs.getInt("training_pairs");
    Integer trainingPairs = rs.wasNull() ? null : pairs;
    return new StoredMatchModel(
        rs.getString("version"),
        rs.getString("model"),
        new MatchThresholds(rs.getDouble("merge_probability"), rs.getDouble("review_probability")),
        rs.getString("origin"),
        trainedRecords,
        trainingPairs,
        calibration(rs.getString("calibration")),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("created_by"));
  }

  private static List<CalibrationRow> calibration(String json) {
    try {
      return RecordJson.mapper().readValue(json, new TypeReference<List<CalibrationRow>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("stored calibration is not JSON", e);
    }
  }

  private static Activation activation(ResultSet rs, int i) throws SQLException {
    long seq = rs.getLong("merge_log_seq");
    Long mergeLogSeq = rs.wasNull() ? null : seq;
    return new Activation(
        rs.getLong("id"),
        rs.getString("version"),
        rs.getString("previous_version"),
        rs.getTimestamp("activated_at").toInstant(),
        rs.getString("activated_by"),
        rs.getString("reason"),
        rs.getString("impact"),
        mergeLogSeq);
  }
}
