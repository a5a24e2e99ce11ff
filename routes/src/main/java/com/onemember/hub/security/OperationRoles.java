package com.onemember.hub.security;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The roles each operation of the contract admits, as its {@code x-roles} lists them in {@code
 * openapi/onemember-api.yaml}: the file the server interfaces are generated from is also the one
 * place that says who may call them, and the role matrix test walks the same file.
 */
@Component
public class OperationRoles {

  /** Where the contract is on the class path. */
  public static final String CONTRACT = "openapi/onemember-api.yaml";

  private final Map<String, Set<Role>> byRoute;
  private final Map<String, Set<Role>> byOperation;

  public OperationRoles() throws IOException {
    // one parse of the contract for both keys: it is a large file, read at every start
    JsonNode root;
    try (InputStream in = new ClassPathResource(CONTRACT).getInputStream()) {
      root = new YAMLMapper().readTree(in);
    }
    this.byRoute = collect(root, true);
    this.byOperation = collect(root, false);
  }

  /** The operation ids {@code role} may call, sorted. */
  public java.util.List<String> admitted(Role role) {
    return byOperation.entrySet().stream()
        .filter(e -> e.getValue().contains(role))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /**
   * Whether {@code role} may call the operation {@code operationId} (the console shows a page, a
   * menu entry or a button only to the roles its calls admit).
   *
   * @throws IllegalArgumentException for an operation the contract does not have
   */
  public boolean admits(String operationId, Role role) {
    Set<Role> roles = byOperation.get(operationId);
    if (roles == null) {
      throw new IllegalArgumentException("no operation " + operationId + " in " + CONTRACT);
    }
    return roles.contains(role);
  }

  /**
   * The operations of a contract and their roles ({@link Role#ADMIN} always among them).
   *
   * @throws IllegalStateException when an operation lists no x-roles or an unknown role: the
   *     build's contract must say it for every one
   */
  public static Map<String, Set<Role>> read(InputStream contract) {
    return read(contract, false);
  }

  /**
   * As {@link #read(InputStream)}, keyed by operation id, or with {@code byRoute} by method and
   * path template as the hub maps requests ({@code GET /api/v1/imports/{id}/progress}).
   */
  static Map<String, Set<Role>> read(InputStream contract, boolean byRoute) {
    return collect(new YAMLMapper().readTree(contract), byRoute);
  }

  private static Map<String, Set<Role>> collect(JsonNode root, boolean byRoute) {
    Map<String, Set<Role>> out = new HashMap<>();
    for (var path : root.path("paths").properties()) {
      for (var method : path.getValue().properties()) {
        JsonNode operation = method.getValue();
        if (!operation.isObject() || !operation.has("operationId")) {
          continue;
        }
        String id = operation.path("operationId").asString();
        JsonNode listed = operation.path("x-roles");
        if (!listed.isArray()) {
          throw new IllegalStateException("operation " + id + " lists no x-roles");
        }
        Set<Role> roles = EnumSet.of(Role.ADMIN);
        for (JsonNode name : listed) {
          Role role = Role.of(name.asString());
          if (role == null) {
            throw new IllegalStateException("operation " + id + " lists an unknown role " + name);
          }
          roles.add(role);
        }
        out.put(
            byRoute ? route(method.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey()) : id,
            roles);
      }
    }
    return Map.copyOf(out);
  }

  /** How a request to an operation is keyed: its method and path template. */
  static String route(String method, String pathTemplate) {
    return method + " " + pathTemplate;
  }

  /**
   * The roles the operation at {@code pathTemplate} (as the hub mapped the request) admits; {@code
   * null} when no operation of the contract is there.
   */
  public Set<Role> of(String method, String pathTemplate) {
    return byRoute.get(route(method, pathTemplate));
  }
}
