package com.onemember.hub.console;

import com.onemember.hub.security.Caller;
import com.onemember.hub.security.OperationRoles;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * Renders the console's pages: the frame (menu of the pages the caller's role may see, language
 * switch, logout), the page's words and the operations the role may call, as JSON for its script. A
 * page the role may not see answers 403 with the forbidden page, as its API would.
 */
@Controller
class ConsolePages {

  private final OperationRoles roles;
  private final ConsoleMessages messages;

  ConsolePages(OperationRoles roles, ConsoleMessages messages) {
    this.roles = roles;
    this.messages = messages;
  }

  /** A page of the menu; its address names it ({@link ConsolePage#at}). */
  @GetMapping({
    "/console",
    "/console/reviews",
    "/console/members",
    "/console/merge-log",
    "/console/imports",
    "/console/connectors",
    "/console/tokens"
  })
  String page(HttpServletRequest request, HttpServletResponse response, Model model) {
    return page(ConsolePage.at(path(request)), null, request, response, model);
  }

  /** One member or one import: the page of its list, about {@code id}. */
  @GetMapping({"/console/members/{id}", "/console/imports/{id}"})
  String detail(
      @PathVariable String id,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    String path = path(request);
    return page(
        ConsolePage.at(path.substring(0, path.lastIndexOf('/'))), id, request, response, model);
  }

  private static String path(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }

  @GetMapping("/console/forbidden")
  String forbidden(HttpServletRequest request, HttpServletResponse response, Model model) {
    frame(null, request, model);
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    return "console/forbidden";
  }

  /**
   * The page for the caller, or the forbidden page when its role may not call the page's operation.
   * {@code subject} is the member or import the page is about, if any.
   */
  private String page(
      ConsolePage page,
      String subject,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Caller caller = frame(page, request, model);
    if (!roles.admits(page.operation, caller.role())) {
      response.setStatus(HttpServletResponse.SC_FORBIDDEN);
      return "console/forbidden";
    }
    if (subject != null && !isUuid(subject)) {
      // an address typed or pasted wrong: the console's own page says so, not a JSON error
      response.setStatus(HttpServletResponse.SC_NOT_FOUND);
      model.addAttribute("wrongId", subject);
      return "console/not-found";
    }
    model.addAttribute("subject", subject);
    return "console/" + page.name + (subject == null ? "" : "-detail");
  }

  private static boolean isUuid(String s) {
    try {
      return UUID.fromString(s).toString().equalsIgnoreCase(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** What every page's frame shows, for the caller the session belongs to. */
  private Caller frame(ConsolePage current, HttpServletRequest request, Model model) {
    Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
    Locale locale =
        ConsoleLanguage.supported(
            org.springframework.web.servlet.support.RequestContextUtils.getLocale(request));
    model.addAttribute("caller", caller);
    model.addAttribute("role", caller.role().wire());
    model.addAttribute("page", current == null ? "forbidden" : current.name);
    model.addAttribute(
        "menu",
        Arrays.stream(ConsolePage.values())
            .filter(p -> roles.admits(p.operation, caller.role()))
            .toList());
    model.addAttribute("current", current);
    model.addAttribute("lang", locale.toLanguageTag());
    // the same page and filters in the other language
    model.addAttribute(
        "switchLanguage",
        org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromRequestUri(request)
            .query(request.getQueryString())
            .replaceQueryParam("lang", Locale.SIMPLIFIED_CHINESE.equals(locale) ? "en" : "zh-CN")
            .build()
            .toUriString()
            .replaceFirst("^[a-z]+://[^/]+", ""));
    model.addAttribute(
        "words", messages.forPage(current == null ? "messages" : current.name, locale));
    model.addAttribute("allowed", ConsoleMessages.inScript(roles.admitted(caller.role())));
    return caller;
  }
}
