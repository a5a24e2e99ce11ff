package com.onemember.hub.console;

/**
 * The console's pages, in menu order: each is shown to the roles that may call the API operation it
 * is built on, as the contract's {@code x-roles} say ({@link
 * com.onemember.hub.security.OperationRoles}), and to no one else.
 */
enum ConsolePage {
  OVERVIEW("overview", "/console", "getOverview"),
  REVIEWS("reviews", "/console/reviews", "listReviews"),
  MEMBERS("members", "/console/members", "findMembers"),
  MERGE_LOG("merge-log", "/console/merge-log", "listMergeLog"),
  IMPORTS("imports", "/console/imports", "listImports"),
  CONNECTORS("connectors", "/console/connectors", "listConnectors"),
  TOKENS("tokens", "/console/tokens", "listTokens");

  /** Its name: the template {@code console/<name>.html}, script and words bundle. */
  final String name;

  final String path;

  /** The operation whose roles see the page. */
  final String operation;

  ConsolePage(String name, String path, String operation) {
    this.name = name;
    this.path = path;
    this.operation = operation;
  }

  /** The page at {@code path}, as the page controller maps it. */
  static ConsolePage at(String path) {
    for (ConsolePage p : values()) {
      if (p.path.equals(path)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no console page at " + path);
  }

  /** For the templates. */
  public String getName() {
    return name;
  }

  public String getPath() {
    return path;
  }
}
