package com.onemember.hub.embedded;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A command for the build: {@code java -cp onemember-hub.jar
 * com.onemember.hub.embedded.OrphanedDatabase DATA_DIR} stops the embedded PostgreSQL that a hub's
 * JVM left running on {@code DATA_DIR/postgres}, and does nothing when none runs there.
 *
 * <p>The build's class-data sharing training run needs it: {@code -Dspring.context.exit=onRefresh}
 * ends the JVM with {@code Runtime.halt} once the context is refreshed, so neither the context's
 * destroy methods nor any shutdown hook run, and the database server it started (detached, as
 * always) would live on. A hub's own start stops such a server too ({@link
 * EmbeddedDatabase#stopOrphan}), but no hub starts on the training run's directory again.
 */
public final class OrphanedDatabase {

  private OrphanedDatabase() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: OrphanedDatabase DATA_DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0]).resolve("postgres");
    var server = EmbeddedDatabase.orphan(dir);
    if (server.isPresent()) {
      EmbeddedDatabase.stop(server.get());
    }
  }
}
