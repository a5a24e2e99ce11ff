/**
 * The connector frame: what a connector kind declares (its transport and a JSON Schema of its
 * parameters) and how IT staff declare an instance of it, one YAML file per instance in {@code
 * onemember.connectors.dir}. Files are read, their {@code ${ENV}} placeholders filled, checked
 * against the instance schema and the kind's schema, and every problem is reported with the file
 * and the JSON pointer of the key, so a hub with a wrong file refuses to start and says where.
 * Plain Java: the hub wires the instances into Camel routes.
 */
package com.onemember.connectors.frame;
