package com.onemember.connectors.frame;

/**
 * A kind of source system the hub can connect to (uniCenta, OSPOS, Pospal, …): its transport and
 * the JSON Schema of the parameters an instance gives. Every key of the schema has a description
 * and secrets carry {@code format: password} (a test holds every kind to that).
 */
public interface ConnectorKind {

  /** The name instance files give as {@code kind}, e.g. {@code unicenta}. */
  String name();

  Transport transport();

  /** The classpath resource of the parameters' JSON Schema (draft 2020-12). */
  String parametersSchema();

  /**
   * Where golden ids and tags are written back to the instance's system; empty when the kind has no
   * writeback or its file asks for none.
   *
   * @throws InvalidParameter when a writeback parameter cannot be used, naming it
   */
  default java.util.Optional<WritebackSink> sink(ConnectorInstance instance) {
    return java.util.Optional.empty();
  }
}
