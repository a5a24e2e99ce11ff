package com.onemember.hub.console;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser's part in the console, over plain HTTP: it keeps cookies, reads the CSRF token from the
 * login form and from the pages' meta tag, and follows no redirects (the tests look at them).
 */
final class ConsoleClient {

  private static final Pattern FORM_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  private static final Pattern META_CSRF =
      Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"");

  final String base;
  final CookieManager cookies = new CookieManager();
  final HttpClient http;

  ConsoleClient(String base) {
    this.base = base;
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  /** A form post, with the CSRF token when {@code csrf} is not null. */
  HttpResponse<String> postForm(String path, String csrf, String... namesAndValues)
      throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      body.append(body.isEmpty() ? "" : "&")
          .append(namesAndValues[i])
          .append('=')
          .append(URLEncoder.encode(namesAndValues[i + 1], UTF_8));
    }
    if (csrf != null) {
      body.append(body.isEmpty() ? "" : "&")
          .append("_csrf=")
          .append(URLEncoder.encode(csrf, UTF_8));
    }
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  /** A JSON post as the pages' scripts make it, with the CSRF header when {@code csrf} is set. */
  HttpResponse<String> postJson(String path, String json, String csrf)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, UTF_8));
    if (csrf != null) {
      b.header("X-CSRF-TOKEN", csrf);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  /** The login form's CSRF token (loading the form starts the session it belongs to). */
  String loginFormCsrf() throws IOException, InterruptedException {
    return find(FORM_CSRF, get("/console/login").body());
  }

  /** Logs in with {@code token} through the form; answers the form's answer. */
  HttpResponse<String> login(String token) throws IOException, InterruptedException {
    return postForm("/console/login", loginFormCsrf(), "token", token);
  }

  /** The CSRF token a page gives its scripts. */
  String pageCsrf(String page) throws IOException, InterruptedException {
    return find(META_CSRF, get(page).body());
  }

  private static String find(Pattern pattern, String html) {
    Matcher m = pattern.matcher(html);
    if (!m.find()) {
      throw new AssertionError("no CSRF token in the page: " + html);
    }
    return m.group(1).replace("&#45;", "-");
  }
}
