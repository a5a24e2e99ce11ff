package com.onemember.connectors.frame;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One call to a server API in the style of WeChat's and WeCom's: HTTP 200 whatever happened, with
 * {@code errcode} (0 for success) and {@code errmsg} in a JSON body. What such APIs share is done
 * here, once: a broken connection, an HTTP 5xx and errcode -1 (the system busy) are tried once more
 * a second later; an answer that is no JSON object, or an HTTP status other than 200, is a failure
 * in words. The errcodes are each API's own to read.
 */
public final class ErrcodeAnswers {

  private ErrcodeAnswers() {}

  /** Sends one HTTP request. */
  @FunctionalInterface
  public interface Call {
    HttpResponse<String> send() throws IOException, InterruptedException;
  }

  /**
   * The JSON answer of {@code call}, its errcode whatever it is (-1 only when the second try was
   * busy too).
   *
   * @param chinese the system's name in messages, in Chinese ({@code 微信})
   * @param english and in English ({@code WeChat})
   * @param base the address called, named when it answers 404 or no JSON
   * @param api the API's name, for messages
   * @throws SourceUnavailable TRANSIENT when the system cannot be reached or answers 5xx twice,
   *     CONFIGURATION for a 404 (a wrong base-url), SOURCE_SYSTEM for an answer that is no JSON
   */
  public static JsonNode answer(
      String chinese, String english, String base, String api, Call call, Sleeper sleeper)
      throws SourceUnavailable {
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response;
      try {
        response = call.send();
      } catch (IOException e) {
        if (attempt < 2) {
          sleeper.pause(Duration.ofSeconds(1));
          continue;
        }
        throw new SourceUnavailable(
            FailureKind.TRANSIENT,
            "无法连接"
                + chinese
                + " / cannot reach "
                + english
                + " at "
                + base
                + " ("
                + api
                + "): "
                + e.getMessage(),
            null);
      } catch (InterruptedException e) {
        throw HttpAnswers.interrupted(e);
      }
      if (response.statusCode() != 200) {
        if (response.statusCode() >= 500 && attempt < 2) {
          sleeper.pause(Duration.ofSeconds(1));
          continue;
        }
        throw new SourceUnavailable(
            response.statusCode() == 404 ? FailureKind.CONFIGURATION : FailureKind.TRANSIENT,
            chinese
                + "返回 HTTP "
                + response.statusCode()
                + "，请检查 base-url / "
                + english
                + " answered HTTP "
                + response.statusCode()
                + " to "
                + api
                + ": check base-url ("
                + base
                + ")",
            null);
      }
      JsonNode answer;
      try {
        answer = JsonDocuments.JSON.readTree(response.body());
      } catch (JacksonException e) {
        answer = null;
      }
      if (answer == null || !answer.isObject()) {
        throw new SourceUnavailable(
            FailureKind.SOURCE_SYSTEM,
            chinese
                + "的回答不是 JSON / "
                + english
                + "'s answer to "
                + api
                + " is not JSON: "
                + HttpAnswers.excerpt(response.body()),
            null);
      }
      if (answer.path("errcode").asLong(0) == -1 && attempt < 2) {
        sleeper.pause(Duration.ofSeconds(1));
        continue;
      }
      return answer;
    }
  }
}
