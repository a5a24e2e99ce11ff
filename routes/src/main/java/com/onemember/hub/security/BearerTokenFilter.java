package com.onemember.hub.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
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

  BearerTokenFilter(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      tokens
          .callerFor(header.substring(PREFIX.length()).trim())
          .ifPresent(
              caller -> {
                var auth =
                    new UsernamePasswordAuthenticationToken(
                        caller.name(),
                        null,
                        List.of(new SimpleGrantedAuthority("ROLE_" + caller.role().name())));
                SecurityContextHolder.getContext().setAuthentication(auth);
                request.setAttribute(Caller.ATTRIBUTE, caller);
              });
    }
    chain.doFilter(request, response);
  }
}
