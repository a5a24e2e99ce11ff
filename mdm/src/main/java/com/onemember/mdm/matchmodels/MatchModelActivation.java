package com.onemember.mdm.matchmodels;

import com.onemember.mdm.stewardship.StewardshipRefused;
import com.onemember.mdm.store.RecordJson;
import java.time.Clock;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A person makes a stored model the one that decides. The dry run runs first and is kept with the
 * activation; the merge log records who activated which version instead of which, why, and the dry
 * run's figures. Members stay as they are: the model decides the records that arrive from then on.
 */
@Service
public class MatchModelActivation {

  private final MatchModelStore store;
  private final MatchModelDryRun dryRun;
  private final MatchEngine engine;
  private final TransactionTemplate transaction;
  private final Clock clock;

  public MatchModelActivation(
      MatchModelStore store,
      MatchModelDryRun dryRun,
      MatchEngine engine,
      PlatformTransactionManager transactions,
      Clock clock) {
    this.store = store;
    this.dryRun = dryRun;
    this.engine = engine;
    this.transaction = new TransactionTemplate(transactions);
    this.clock = clock;
  }

  /** The activation and the dry run that preceded it. */
  public record Activated(Activation activation, ModelImpact impact) {}

  /**
   * @throws StewardshipRefused when the version is not stored (not found), is already active, or no
   *     reason is given
   */
  public Activated activate(String version, String actor, String reason) {
    String why = reason == null ? "" : reason.trim();
    if (why.isEmpty()) {
      throw new StewardshipRefused(
          false, "请写明启用原因 / a reason is required: the merge log keeps it for the auditors");
    }
    StoredMatchModel model =
        store
            .find(version)
            .orElseThrow(
                () ->
                    new StewardshipRefused(
                        true, "模型 " + version + " 不存在 / no match model " + version));
    ModelImpact impact = dryRun.impact(model);
    Activation done =
        transaction.execute(
            status -> {
              store.lockActivations();
              String previous = store.active().map(Activation::version).orElse(null);
              if (version.equals(previous)) {
                throw new StewardshipRefused(
                    false,
                    "模型 " + version + " 已在使用 / match model " + version + " is active already");
              }
              return store.recordActivation(
                  model,
                  previous,
                  actor,
                  why,
                  impact.summary(),
                  RecordJson.write(impact),
                  clock.instant());
            });
    engine.use(model, done.id());
    return new Activated(done, impact);
  }
}
