package com.onemember.hub.privacy;

import com.onemember.connectors.frame.JsonDocuments;
import com.onemember.hub.security.Caller;
import com.onemember.hub.security.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The answers that carry members' personal data (a member, a search, a member's history, the review
 * queue), as each role may see them: masked for stewards and auditors ({@link PersonalData}), who
 * reveal a member with a reason when they must; whole for admin and IT, each such answer recorded
 * in the {@link AccessLog} with the members it named. Runs after the security chain, on the JSON
 * the controllers wrote, so that no view of a member can forget to mask.
 */
@Component
class PersonalDataFilter extends OncePerRequestFilter {

  /** The answers with members' personal data in them. */
  private static final Pattern MEMBER_DATA =
      Pattern.compile("/api/v1/members(/[0-9a-fA-F-]{36}(/history|/reveal)?)?|/api/v1/reviews");

  private final AccessLog accessLog;

  PersonalDataFilter(AccessLog accessLog) {
    this.accessLog = accessLog;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !MEMBER_DATA.matcher(path(request)).matches();
  }

  private static String path(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!(request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller)) {
      chain.doFilter(request, response); // no token: the security chain answered already
      return;
    }
    ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
    chain.doFilter(request, answer);
    String type = answer.getContentType();
    if (answer.getStatus() != 200 || type == null || !type.contains("json")) {
      answer.copyBodyToResponse();
      return;
    }
    JsonNode tree;
    try {
      tree = JsonDocuments.JSON.readTree(answer.getContentAsByteArray());
    } catch (JacksonException e) {
      answer.copyBodyToResponse();
      return;
    }
    boolean reveal = path(request).endsWith("/reveal");
    if (!reveal && (caller.role() == Role.STEWARD || caller.role() == Role.AUDITOR)) {
      PersonalData.mask(tree);
      byte[] masked = JsonDocuments.JSON.writeValueAsBytes(tree);
      answer.resetBuffer();
      answer.getOutputStream().write(masked);
    } else if (!reveal) {
      accessLog.record(caller, members(tree), AccessLog.Action.READ, operation(request), null);
    }
    answer.copyBodyToResponse();
  }

  /** The operation, for the access log, by the path it answered. */
  private static String operation(HttpServletRequest request) {
    String path = path(request);
    if (path.endsWith("/history")) {
      return "getMemberHistory";
    }
    if (path.startsWith("/api/v1/reviews")) {
      return "listReviews";
    }
    return path.equals("/api/v1/members") ? "findMembers" : "getMember";
  }

  /** The members an answer shows: every object with an id and identifiers, and a history's. */
  private static Set<UUID> members(JsonNode tree) {
    Set<UUID> found = new LinkedHashSet<>();
    collect(tree, found);
    if (tree.path("memberId").isString()) {
      found.add(UUID.fromString(tree.path("memberId").asString()));
    }
    return found;
  }

  private static void collect(JsonNode node, Set<UUID> found) {
    if (node.isObject() && node.has("identifiers") && node.path("id").isString()) {
      try {
        found.add(UUID.fromString(node.path("id").asString()));
      } catch (IllegalArgumentException notAMember) {
        // an object with identifiers but another kind of id (a source record)
      }
    }
    for (JsonNode child : node) {
      collect(child, found);
    }
  }
}
