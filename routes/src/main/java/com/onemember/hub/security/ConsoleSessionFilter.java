package com.onemember.hub.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request without a bearer token from its console session ({@link ConsoleSession}):
 * the console's pages and the API calls their scripts make. The caller is the token's, as a bearer
 * request with the same token would be, so roles, masking and the access log apply alike. A session
 * whose token was revoked or expired is ended here.
 */
class ConsoleSessionFilter extends OncePerRequestFilter {

  private final ApiTokens tokens;

  ConsoleSessionFilter(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    byte[] digest = ConsoleSession.present(request) ? ConsoleSession.digest(request) : null;
    if (digest != null) {
      Optional<Caller> found = tokens.callerByDigest(digest);
      if (found.isEmpty()) {
        HttpSession session = request.getSession(false);
        if (session != null) {
          session.invalidate();
        }
      } else {
        BearerTokenFilter.authenticate(request, found.get());
      }
    }
    chain.doFilter(request, response);
  }
}
