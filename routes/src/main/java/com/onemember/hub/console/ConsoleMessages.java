package com.onemember.hub.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The console's words, as the pages' scripts need them: a page's script gets the frame's bundle
 * ({@code console/messages}) and its own ({@code console/<page>}) in the reader's language, as one
 * JSON object written into the page. The same files are Spring's message source for the templates
 * (spring.messages.basename), so a word is written once for both.
 */
@Component
class ConsoleMessages {

  /** The bundles, the frame's first; each page's scripts read the frame's and their own. */
  static final List<String> BUNDLES =
      List.of(
          "messages",
          "overview",
          "reviews",
          "members",
          "merge-log",
          "imports",
          "connectors",
          "tokens");

  private final Map<String, String> json = new ConcurrentHashMap<>();

  /**
   * The words of the frame and of {@code page}'s bundle in {@code locale}, as JSON that is safe
   * inside a script element ({@code <} written as an escape).
   */
  String forPage(String page, Locale locale) {
    Locale lang = ConsoleLanguage.supported(locale);
    return json.computeIfAbsent(
        page + "|" + lang.toLanguageTag(),
        k -> {
          Map<String, String> words = new TreeMap<>();
          words.putAll(read("messages", lang));
          if (!"messages".equals(page) && BUNDLES.contains(page)) {
            words.putAll(read(page, lang));
          }
          return inScript(words);
        });
  }

  /**
   * {@code value} as JSON that can stand inside a script element of a page: every {@code <}
   * escaped, so no value can close the element.
   */
  static String inScript(Object value) {
    return com.onemember.mdm.store.RecordJson.write(value).replace("<", "\\u003c");
  }

  /** A bundle's words in {@code lang}: the English base file, overlaid by the Chinese one. */
  private static Map<String, String> read(String bundle, Locale lang) {
    Map<String, String> words = new TreeMap<>();
    load("console/" + bundle + ".properties", words);
    if (Locale.SIMPLIFIED_CHINESE.equals(lang)) {
      load("console/" + bundle + "_zh_CN.properties", words);
    }
    return words;
  }

  private static void load(String path, Map<String, String> into) {
    ClassPathResource file = new ClassPathResource(path);
    if (!file.exists()) {
      return;
    }
    Properties p = new Properties();
    try (InputStream in = file.getInputStream()) {
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    p.forEach((k, v) -> into.put((String) k, (String) v));
  }
}
