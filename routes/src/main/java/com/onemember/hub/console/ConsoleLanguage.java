package com.onemember.hub.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * The console's two languages: Simplified Chinese and English. The reader's browser language
 * decides until they pick one ({@code ?lang=en} or {@code ?lang=zh-CN} on any page), which a cookie
 * then keeps for a year. Dates and numbers are written in the same locale.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleLanguage implements WebMvcConfigurer {

  /** The languages the console is written in; the first is for any Chinese reader. */
  static final List<Locale> SUPPORTED = List.of(Locale.SIMPLIFIED_CHINESE, Locale.ENGLISH);

  /** The nearest supported locale: Chinese of any region reads Simplified, others English. */
  static Locale supported(Locale wanted) {
    return wanted != null && "zh".equals(wanted.getLanguage())
        ? Locale.SIMPLIFIED_CHINESE
        : Locale.ENGLISH;
  }

  @Bean
  LocaleResolver localeResolver() {
    CookieLocaleResolver resolver =
        new CookieLocaleResolver("ONEMEMBER_LANG") {
          @Override
          public void setLocale(
              HttpServletRequest request, HttpServletResponse response, Locale locale) {
            super.setLocale(request, response, locale == null ? null : supported(locale));
          }

          @Override
          public Locale resolveLocale(HttpServletRequest request) {
            return supported(super.resolveLocale(request));
          }
        };
    resolver.setCookieMaxAge(Duration.ofDays(365));
    resolver.setCookieSameSite("Strict");
    resolver.setDefaultLocaleFunction(request -> supported(request.getLocale()));
    return resolver;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    LocaleChangeInterceptor change = new LocaleChangeInterceptor();
    change.setParamName("lang");
    change.setIgnoreInvalidLocale(true);
    registry.addInterceptor(change).addPathPatterns("/console", "/console/**");
  }
}
