package com.onemember.hub.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's login: a person pastes an API token (the admin's, or one an admin made for them
 * with a role) into the form field {@code token}; the hub checks it as it checks a bearer token,
 * counts a wrong one against the address as the API does ({@link FailedTokens}), and starts a
 * session that keeps only the token's digest ({@link ConsoleSession}). System tokens are for
 * machines and do not log in. Logging out is Spring Security's {@code POST /console/logout}.
 */
@Controller
class ConsoleLogin {

  private final ApiTokens tokens;
  private final FailedTokens failures;

  ConsoleLogin(ApiTokens tokens, FailedTokens failures) {
    this.tokens = tokens;
    this.failures = failures;
  }

  @GetMapping("/console/login")
  String form(HttpServletRequest request) {
    return ConsoleSession.present(request) && request.getAttribute(Caller.ATTRIBUTE) != null
        ? "redirect:/console"
        : "console/login";
  }

  @PostMapping("/console/login")
  String login(
      @RequestParam(name = "token", required = false) String token,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    String address = request.getRemoteAddr();
    Duration wait = failures.wait(address);
    if (wait != null) {
      long seconds = FailedTokens.seconds(wait);
      response.setStatus(429);
      response.setHeader("Retry-After", Long.toString(seconds));
      model.addAttribute("error", "login.error.too-many");
      model.addAttribute("seconds", seconds);
      return "console/login";
    }
    Optional<Caller> caller =
        token == null || token.isBlank() ? Optional.empty() : tokens.callerFor(token);
    if (caller.isEmpty()) {
      if (token != null && !token.isBlank()) {
        failures.failed(address);
      }
      response.setStatus(401);
      model.addAttribute(
          "error", token == null || token.isBlank() ? "login.error.empty" : "login.error.unknown");
      return "console/login";
    }
    if (caller.get().role() == Role.SYSTEM) {
      response.setStatus(403);
      model.addAttribute("error", "login.error.system");
      return "console/login";
    }
    ConsoleSession.start(request, ApiTokens.digest(token.strip()));
    return "redirect:/console";
  }
}
