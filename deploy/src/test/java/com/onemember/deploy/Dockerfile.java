package com.onemember.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Dockerfile read into its build stages and instructions, the way the Dockerfile reference
 * describes the format: comment lines and parser directives are dropped, a line ending in a
 * backslash continues on the next, the keyword is case-insensitive, {@code ARG}s declared before
 * the first {@code FROM} may be used in {@code FROM}. Enough to check what an image is made of
 * without building it; heredocs and a changed escape character are not supported (the file uses
 * neither).
 */
record Dockerfile(List<Stage> stages) {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");

  /** One instruction: its keyword in upper case, the rest of it, and the line it starts on. */
  record Instruction(String keyword, String arguments, int line) {

    /** The arguments of an exec-form (JSON array) instruction such as ENTRYPOINT or CMD. */
    List<String> execForm() {
      if (!arguments.startsWith("[")) {
        throw new AssertionError(
            keyword + " on line " + line + " is not in exec form: " + arguments);
      }
      return JsonMapper.builder()
          .build()
          .readValue(arguments, new TypeReference<List<String>>() {});
    }
  }

  /** A build stage: the image it starts from (ARGs resolved), its name, its instructions. */
  record Stage(String image, String name, List<Instruction> instructions) {

    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The last instruction of this keyword; fails when there is none. */
    Instruction last(String keyword) {
      List<Instruction> found = all(keyword);
      if (found.isEmpty()) {
        throw new AssertionError("the stage from " + image + " has no " + keyword);
      }
      return found.get(found.size() - 1);
    }
  }

  static Dockerfile read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<String, String> globalArgs = new HashMap<>();
    List<Stage> stages = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    int startLine = 0;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.strip().startsWith("#")) {
        continue;
      }
      if (pending.isEmpty()) {
        if (line.isBlank()) {
          continue;
        }
        startLine = n + 1;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      pending.append(line);
      String text = pending.toString().strip();
      pending.setLength(0);
      String[] parts = text.split("\\s+", 2);
      Instruction instruction =
          new Instruction(
              parts[0].toUpperCase(Locale.ROOT),
              parts.length > 1 ? parts[1].strip() : "",
              startLine);
      if (instruction.keyword().equals("FROM")) {
        String[] from = instruction.arguments().split("\\s+");
        String image = resolve(from[0], globalArgs);
        String name = from.length == 3 && from[1].equalsIgnoreCase("AS") ? from[2] : null;
        stages.add(new Stage(image, name, new ArrayList<>()));
      } else if (stages.isEmpty()) {
        if (!instruction.keyword().equals("ARG")) {
          throw new AssertionError("line " + startLine + ": only ARG may come before FROM");
        }
        String[] arg = instruction.arguments().split("=", 2);
        globalArgs.put(arg[0], arg.length > 1 ? arg[1] : "");
      } else {
        stages.get(stages.size() - 1).instructions().add(instruction);
      }
    }
    if (!pending.isEmpty()) {
      throw new AssertionError("the last instruction ends in a line continuation");
    }
    return new Dockerfile(List.copyOf(stages));
  }

  /** The stage the image is made of: the last one. */
  Stage last() {
    return stages.get(stages.size() - 1);
  }

  private static String resolve(String text, Map<String, String> args) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = args.get(m.group(1));
      if (value == null) {
        throw new AssertionError("FROM uses " + m.group() + ", which no ARG before it declares");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }
}
