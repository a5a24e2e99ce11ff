package com.onemember.hub.security;

import com.onemember.hub.api.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Lets a call through only when its token's role is among the operation's {@code x-roles} ({@link
 * OperationRoles}), before its body is read; the operation is found by the method and the path
 * template the request was mapped to, as the contract writes them. A {@code system} token speaks
 * for one system: the connector ({@code id}), consumer ({@code name}) or source ({@code source}) a
 * call names must be that system. An API path that is no operation of the contract is the admin's
 * alone.
 */
@Configuration(proxyBeanMethods = false)
class RoleCheck implements WebMvcConfigurer, HandlerInterceptor {

  /** The path and query variables that name a system in the contract's operations. */
  private static final List<String> SYSTEM_NAMES = List.of("id", "name", "source");

  private final OperationRoles roles;

  RoleCheck(OperationRoles roles) {
    this.roles = roles;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    // the contract itself is public, whoever asks
    registry
        .addInterceptor(this)
        .addPathPatterns("/api/**")
        .excludePathPatterns("/api/v1/openapi.yaml");
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller)) {
      return true; // a public path (the contract itself); the security chain asked for no token
    }
    Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    String operation = request.getMethod() + " " + pattern;
    Set<Role> admitted = pattern == null ? null : roles.of(request.getMethod(), pattern.toString());
    if (admitted == null) {
      admitted = Set.of(Role.ADMIN);
    }
    if (!admitted.contains(caller.role())) {
      throw new ApiProblem(
          HttpStatus.FORBIDDEN,
          "forbidden",
          "令牌 "
              + caller.name()
              + " 的角色 "
              + caller.role().wire()
              + " 无权执行 "
              + operation
              + "（允许："
              + names(admitted)
              + "）/ token "
              + caller.name()
              + " has role "
              + caller.role().wire()
              + ", which may not call "
              + operation
              + " (allowed: "
              + names(admitted)
              + ")");
    }
    if (caller.role() == Role.SYSTEM) {
      @SuppressWarnings("unchecked")
      Map<String, String> path =
          (Map<String, String>)
              request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
      for (String name : SYSTEM_NAMES) {
        String named = path == null ? null : path.get(name);
        if (named == null) {
          named = request.getParameter(name);
        }
        if (named != null && !named.strip().equals(caller.system())) {
          throw new ApiProblem(
              HttpStatus.FORBIDDEN,
              "other-system",
              "令牌 "
                  + caller.name()
                  + " 只代表系统 "
                  + caller.system()
                  + "，不能访问 "
                  + named
                  + " / token "
                  + caller.name()
                  + " speaks for system "
                  + caller.system()
                  + " only, not for "
                  + named);
        }
      }
    }
    return true;
  }

  private static String names(Set<Role> roles) {
    return roles.stream().map(Role::wire).sorted().collect(Collectors.joining(", "));
  }
}
