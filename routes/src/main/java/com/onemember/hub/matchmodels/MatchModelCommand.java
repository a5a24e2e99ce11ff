package com.onemember.hub.matchmodels;

import com.onemember.api.client.MatchModelsApi;
import com.onemember.api.client.invoker.ApiClient;
import com.onemember.api.client.invoker.ApiException;
import com.onemember.api.client.model.MatchModel;
import com.onemember.api.client.model.MatchModelActivation;
import com.onemember.api.client.model.MatchModelActivationRequest;
import com.onemember.api.client.model.MatchModelCalibration;
import com.onemember.api.client.model.MatchModelImpact;
import com.onemember.api.client.model.MatchModelImpactExample;
import com.onemember.api.client.model.MatchModelRequest;
import com.onemember.api.client.model.MatchModelWeights;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code java -jar onemember-hub.jar match-model …}: the governed model from a terminal, for an IT
 * person who would rather read a table than JSON. It calls a running hub's {@code
 * /api/v1/match-models} through the client generated from the contract, so it does exactly what the
 * API does and needs the same token; it never opens the database itself (the embedded one belongs
 * to the running hub).
 */
public final class MatchModelCommand {

  static final String USAGE =
      """
      usage: java -jar onemember-hub.jar match-model <command> [options]
        list                                   stored models, the active one marked *
        train [--merge P] [--review P]         train on the hub's stored records (not activated)
        thresholds --merge P --review P        the active weights under other thresholds
        show <version>                         one model with its calibration table
        impact <version>                       dry run over the stored records
        activate <version> --reason "..."      make it decide (kept in the merge log)
      options: --url http://localhost:8080 (default)
               --token T (default: $ONEMEMBER_ADMIN_TOKEN, else ./data/admin-token)
      用法：match-model list | train | thresholds | show | impact | activate，详见 README
      """;

  private final PrintStream out;
  private final MatchModelsApi api;

  MatchModelCommand(PrintStream out, MatchModelsApi api) {
    this.out = out;
    this.api = api;
  }

  /** Runs one command; answers the process exit code (0 done, 1 refused by the hub, 2 misuse). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options = new LinkedHashMap<>();
    List<String> words = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        if (i + 1 >= args.length) {
          err.println("missing value for " + args[i] + " / 缺少参数值\n" + USAGE);
          return 2;
        }
        options.put(args[i].substring(2), args[++i]);
      } else {
        words.add(args[i]);
      }
    }
    if (words.isEmpty()) {
      err.println(USAGE);
      return 2;
    }
    String token = options.getOrDefault("token", defaultToken());
    if (token == null || token.isBlank()) {
      err.println(
          "no token: pass --token, or set ONEMEMBER_ADMIN_TOKEN / 缺少令牌：请用 --token 或设置"
              + " ONEMEMBER_ADMIN_TOKEN");
      return 2;
    }
    ApiClient client = new ApiClient();
    client.updateBaseUri(options.getOrDefault("url", "http://localhost:8080"));
    client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + token.trim()));
    MatchModelCommand command = new MatchModelCommand(out, new MatchModelsApi(client));
    try {
      return command.dispatch(words, options, err);
    } catch (ApiException e) {
      if (e.getCode() == 0) {
        err.println(
            "cannot reach the hub at "
                + client.getBaseUri()
                + " ("
                + e.getMessage()
                + "): is it running? use --url / 无法连接服务，请确认已启动或用 --url 指定地址");
        return 1;
      }
      err.println(
          "the hub refused (HTTP "
              + e.getCode()
              + ") / 服务拒绝: "
              + (e.getResponseBody() == null ? e.getMessage() : e.getResponseBody()));
      return 1;
    } catch (NumberFormatException e) {
      err.println("not a probability: " + e.getMessage() + " / 不是有效的概率\n" + USAGE);
      return 2;
    }
  }

  private int dispatch(List<String> words, Map<String, String> options, PrintStream err)
      throws ApiException {
    String version = words.size() > 1 ? words.get(1) : null;
    switch (words.get(0)) {
      case "list" -> list();
      case "train" -> created(api.createMatchModel(request(MatchModelWeights.TRAINED, options)));
      case "thresholds" ->
          created(api.createMatchModel(request(MatchModelWeights.ACTIVE, options)));
      case "show" -> {
        if (version == null) {
          err.println(USAGE);
          return 2;
        }
        show(api.getMatchModel(version));
      }
      case "impact" -> {
        if (version == null) {
          err.println(USAGE);
          return 2;
        }
        impact(api.getMatchModelImpact(version));
      }
      case "activate" -> {
        if (version == null || !options.containsKey("reason")) {
          err.println("activate needs a version and --reason / 启用需要版本号和原因\n" + USAGE);
          return 2;
        }
        MatchModelActivation done =
            api.activateMatchModel(
                version, new MatchModelActivationRequest().reason(options.get("reason")));
        out.printf(
            "activated %s (was %s) by %s; merge log entry %d%n",
            done.getActivation().getVersion(),
            done.getActivation().getPreviousVersion(),
            done.getActivation().getActivatedBy(),
            done.getActivation().getMergeLogSeq());
        impact(done.getImpact());
      }
      default -> {
        err.println("unknown command " + words.get(0) + " / 未知命令\n" + USAGE);
        return 2;
      }
    }
    return 0;
  }

  private static MatchModelRequest request(MatchModelWeights weights, Map<String, String> options) {
    MatchModelRequest request = new MatchModelRequest().weights(weights);
    if (options.containsKey("merge")) {
      request.mergeProbability(Double.parseDouble(options.get("merge")));
    }
    if (options.containsKey("review")) {
      request.reviewProbability(Double.parseDouble(options.get("review")));
    }
    return request;
  }

  private void list() throws ApiException {
    var models = api.listMatchModels();
    out.printf(
        "%-1s %-12s %-7s %-7s %-20s %s%n", "", "version", "merge", "review", "created", "origin");
    for (MatchModel m : models.getItems()) {
      out.printf(
          Locale.ROOT,
          "%-1s %-12s %-7.4f %-7.4f %-20s %s%n",
          Boolean.TRUE.equals(m.getActive()) ? "*" : "",
          m.getVersion(),
          m.getMergeProbability(),
          m.getReviewProbability(),
          m.getCreatedAt().withNano(0).toLocalDateTime(),
          m.getOrigin());
    }
  }

  private void created(MatchModel m) {
    out.printf(
        "stored model %s, not active: review it with `match-model impact %s`, then `match-model"
            + " activate %s --reason ...`%n",
        m.getVersion(), m.getVersion(), m.getVersion());
    show(m);
  }

  private void show(MatchModel m) {
    out.printf(
        Locale.ROOT,
        "%s%s: %s; merge %.4f, review %.4f; created %s by %s%n",
        m.getVersion(),
        Boolean.TRUE.equals(m.getActive()) ? " (active)" : "",
        m.getOrigin(),
        m.getMergeProbability(),
        m.getReviewProbability(),
        m.getCreatedAt(),
        m.getCreatedBy());
    if (m.getTrainedRecords() != null) {
      out.printf("trained on %d records, %d pairs%n", m.getTrainedRecords(), m.getTrainingPairs());
    }
    if (!m.getCalibration().isEmpty()) {
      out.printf("%8s %8s %8s  %s%n", "pairs", "p", "active p", "evidence pattern");
      for (MatchModelCalibration c : m.getCalibration()) {
        out.printf(
            Locale.ROOT,
            "%8d %8.4f %8.4f  %s%n",
            c.getPairs(),
            c.getProbability(),
            c.getActiveProbability(),
            c.getPattern());
      }
    }
  }

  private void impact(MatchModelImpact i) {
    out.printf(
        "dry run of %s against the active %s over %d of %d stored records:%n"
            + "  members %d -> %d; %d groups of members would merge, %d members would split;"
            + " review pairs %d -> %d%n",
        i.getVersion(),
        i.getActiveVersion(),
        i.getRecordsReplayed(),
        i.getRecordsStored(),
        i.getMembersNow(),
        i.getMembersAfter(),
        i.getWouldMerge(),
        i.getWouldSplit(),
        i.getReviewPairsNow(),
        i.getReviewPairsAfter());
    for (MatchModelImpactExample e : i.getExamples()) {
      out.printf(
          "  %s %s (members now: %s)%n", e.getChange(), e.getSourceRecords(), e.getMembers());
    }
  }

  /** The token the hub was given, or the one it generated on the embedded defaults. */
  private static String defaultToken() {
    String env = System.getenv("ONEMEMBER_ADMIN_TOKEN");
    if (env != null && !env.isBlank()) {
      return env;
    }
    Path file = Path.of("data", "admin-token");
    try {
      return Files.isReadable(file) ? Files.readString(file).trim() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
