package com.onemember.hub.security;

import com.onemember.hub.HubProperties;
import com.onemember.hub.api.ApiErrors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.csrf.CsrfException;

/**
 * Two chains. The console ({@code /console/**}): a login page, a session cookie, CSRF on every form
 * and script call, and a strict content security policy. Everything else: bearer tokens on the API,
 * or the console's session when its scripts call the API (then with the CSRF token for every
 * change), a public health endpoint, nothing else public.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

  /** Scripts, styles and images from the hub only; no frames, no inline script. */
  static final String CONSOLE_CONTENT_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  /** Unknown tokens per address, counted alike for bearer requests and console logins. */
  @Bean
  FailedTokens failedTokens(HubProperties properties, java.time.Clock clock) {
    return new FailedTokens(
        properties.security().failedTokenLimit(), properties.security().failedTokenWindow(), clock);
  }

  @Bean
  @Order(1)
  SecurityFilterChain consoleSecurity(HttpSecurity http, ApiTokens tokens) throws Exception {
    http.securityMatcher("/console", "/console/**")
        .httpBasic(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
        .logout(l -> l.logoutUrl("/console/logout").logoutSuccessUrl("/console/login?out"))
        .headers(
            h ->
                h.contentSecurityPolicy(c -> c.policyDirectives(CONSOLE_CONTENT_POLICY))
                    .referrerPolicy(
                        r ->
                            r.policy(
                                org.springframework.security.web.header.writers
                                    .ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
        .authorizeHttpRequests(
            a ->
                a.dispatcherTypeMatchers(
                        jakarta.servlet.DispatcherType.ERROR, jakarta.servlet.DispatcherType.ASYNC)
                    .permitAll()
                    .requestMatchers("/console/login", "/console/assets/**")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .addFilterBefore(new ConsoleSessionFilter(tokens), AuthorizationFilter.class)
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                        new org.springframework.security.web.authentication
                            .LoginUrlAuthenticationEntryPoint("/console/login"))
                    .accessDeniedHandler(
                        (request, response, ex) ->
                            response.sendRedirect(
                                request.getContextPath()
                                    + (ex instanceof CsrfException
                                        ? "/console/login?expired"
                                        : "/console/forbidden"))));
    return http.build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain hubSecurity(HttpSecurity http, ApiTokens tokens, FailedTokens failures)
      throws Exception {
    // bearer calls carry no ambient credential: CSRF matters only for the console's session
    http.csrf(
            c ->
                c.requireCsrfProtectionMatcher(
                    request ->
                        !SAFE_METHODS.contains(request.getMethod())
                            && ConsoleSession.present(request)))
        .httpBasic(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            a ->
                // the async dispatch that ends a stream (import progress) was authorised when the
                // request came in; the bearer filter runs once per request, not again for it
                a.dispatcherTypeMatchers(jakarta.servlet.DispatcherType.ASYNC)
                    .permitAll()
                    .requestMatchers(
                        "/actuator/health", "/actuator/health/**", "/error", "/api/v1/openapi.yaml")
                    .permitAll()
                    // pushes from source systems, each checked by its connector's own signature
                    .requestMatchers("/hooks/**")
                    .permitAll()
                    // the metrics, for a Prometheus scraping with an IT token
                    .requestMatchers("/actuator/prometheus")
                    .hasAnyRole(Role.IT.name(), Role.ADMIN.name())
                    .anyRequest()
                    .authenticated())
        .addFilterBefore(new NoDirectErrorPage(), AuthorizationFilter.class)
        .addFilterBefore(new BearerTokenFilter(tokens, failures), AuthorizationFilter.class)
        .addFilterBefore(new ConsoleSessionFilter(tokens), AuthorizationFilter.class)
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                        (request, response, ex) -> {
                          boolean presented = request.getHeader("Authorization") != null;
                          response.setHeader("WWW-Authenticate", "Bearer");
                          ApiErrors.write(
                              response,
                              HttpStatus.UNAUTHORIZED,
                              "unauthorized",
                              presented
                                  ? "访问令牌无效 / The bearer token is not valid."
                                  : "缺少访问令牌，请在请求头加 Authorization: Bearer <令牌> / Missing bearer"
                                      + " token: send Authorization: Bearer <token>.");
                        })
                    .accessDeniedHandler(
                        (request, response, ex) -> {
                          if (ex instanceof CsrfException) {
                            ApiErrors.write(
                                response,
                                HttpStatus.FORBIDDEN,
                                "csrf",
                                "控制台会话的 CSRF 校验未通过，请刷新页面后重试 / The console session's CSRF"
                                    + " check failed: reload the page and try again.");
                          } else {
                            ApiErrors.write(
                                response,
                                HttpStatus.FORBIDDEN,
                                "forbidden",
                                "无权执行此操作 / This token may not do that.");
                          }
                        }));
    return http.build();
  }

  private static final java.util.Set<String> SAFE_METHODS =
      java.util.Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  /** No form or basic users exist; this also keeps Spring Boot from generating a password. */
  @Bean
  UserDetailsService noUsers() {
    return new InMemoryUserDetailsManager();
  }
}
