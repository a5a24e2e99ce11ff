package com.onemember.hub.security;

import com.onemember.hub.HubProperties;
import com.onemember.hub.api.ApiErrors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/** Bearer tokens on the API, a public health endpoint, nothing else public. */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

  @Bean
  SecurityFilterChain hubSecurity(
      HttpSecurity http, ApiTokens tokens, HubProperties properties, java.time.Clock clock)
      throws Exception {
    FailedTokens failures =
        new FailedTokens(
            properties.security().failedTokenLimit(),
            properties.security().failedTokenWindow(),
            clock);
    http.csrf(AbstractHttpConfigurer::disable)
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
                    .anyRequest()
                    .authenticated())
        .addFilterBefore(new NoDirectErrorPage(), AuthorizationFilter.class)
        .addFilterBefore(new BearerTokenFilter(tokens, failures), AuthorizationFilter.class)
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
                        (request, response, ex) ->
                            ApiErrors.write(
                                response,
                                HttpStatus.FORBIDDEN,
                                "forbidden",
                                "无权执行此操作 / This token may not do that.")));
    return http.build();
  }

  /** No form or basic users exist; this also keeps Spring Boot from generating a password. */
  @Bean
  UserDetailsService noUsers() {
    return new InMemoryUserDetailsManager();
  }
}
