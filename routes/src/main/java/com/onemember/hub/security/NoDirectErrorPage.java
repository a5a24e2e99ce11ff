package com.onemember.hub.security;

import com.onemember.hub.api.ApiErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code /error} is where the servlet container forwards a failed request to be answered; asked for
 * directly it is no page of the hub's, and answers 404 like any other unknown path instead of an
 * error body made from nothing. Error dispatches pass, as this filter sees requests only.
 */
class NoDirectErrorPage extends OncePerRequestFilter {

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (path.equals("/error") || path.startsWith("/error/")) {
      ApiErrors.write(
          response, HttpStatus.NOT_FOUND, "not-found", "没有这个地址 / No such path: " + path);
      return;
    }
    chain.doFilter(request, response);
  }
}
