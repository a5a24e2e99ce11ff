package com.onemember.hub.security;

import com.onemember.hub.api.ApiErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request from its bearer token. An unknown token leaves the request
 * unauthenticated; the entry point then answers 401.
 */
class BearerTokenFilter extends OncePerRequestFilter {

  private static final String PREFIX = "Bearer ";

  private final ApiTokens tokens;
  private final FailedTokens failures;

  BearerTokenFilter(ApiTokens tokens, FailedTokens failures) {
    this.tokens = tokens;
    this.failures = failures;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      String address = request.getRemoteAddr();
      Duration wait = failures.wait(address);
      if (wait != null) {
        long seconds = FailedTokens.seconds(wait);
        response.setHeader("Retry-After", Long.toString(seconds));
        ApiErrors.write(
            response,
            HttpStatus.TOO_MANY_REQUESTS,
            "too-many-bad-tokens",
            "此地址无效令牌过多，请 "
                + seconds
                + " 秒后再试 / too many unknown tokens from this address: try again in "
                + seconds
                + " s");
        return;
      }
      Optional<Caller> found = tokens.callerFor(header.substring(PREFIX.length()).trim());
      if (found.isEmpty()) {
        failures.failed(address);
      }
      found.ifPresent(caller -> authenticate(request, caller));
    }
    chain.doFilter(request, response);
  }

  /** Makes {@code caller} the request's principal, with its role, for the rest of the request. */
  static void authenticate(HttpServletRequest request, Caller caller) {
    var auth =
        new UsernamePasswordAuthenticationToken(
            caller.name(),
            null,
            List.of(new SimpleGrantedAuthority("ROLE_" + caller.role().name())));
    SecurityContextHolder.getContext().setAuthentication(auth);
    request.setAttribute(Caller.ATTRIBUTE, caller);
  }
}
