package com.onemember.hub.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * A person's session in the console: it holds the SHA-256 digest of the token they logged in with
 * (never the token) and nothing else of theirs. Each request asks {@link ApiTokens} again who that
 * digest belongs to, so a revoked or expired token ends its sessions at their next request, and the
 * console can never do more than the token itself. The session cookie is HttpOnly and
 * SameSite=Strict (application.yaml); every state-changing request of a session carries its CSRF
 * token.
 */
public final class ConsoleSession {

  /** The session attribute with the token's digest. */
  static final String TOKEN_DIGEST = "onemember.console.token-sha256";

  private ConsoleSession() {}

  /**
   * Ends any session the request came with and starts a new one for {@code digest}: a session id
   * known before the login (fixation) is worth nothing after it, and the CSRF token goes with the
   * old session.
   */
  static void start(HttpServletRequest request, byte[] digest) {
    HttpSession old = request.getSession(false);
    if (old != null) {
      old.invalidate();
    }
    request.getSession(true).setAttribute(TOKEN_DIGEST, digest.clone());
  }

  /** The digest of the request's console session; {@code null} when it has none. */
  static byte[] digest(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    return session != null && session.getAttribute(TOKEN_DIGEST) instanceof byte[] d ? d : null;
  }

  /** Whether the request comes with a logged-in console session (and no bearer token). */
  public static boolean present(HttpServletRequest request) {
    return request.getHeader("Authorization") == null && digest(request) != null;
  }
}
