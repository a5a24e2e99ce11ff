package com.onemember.hub.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.activemq.artemis.core.config.ClusterConnectionConfiguration;
import org.apache.activemq.artemis.core.config.ha.SharedStoreBackupPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.SharedStorePrimaryPolicyConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * An Artemis broker in a JVM of its own, as a test's standalone broker or one half of a
 * primary/backup pair on a shared store (one journal directory, whose file lock says who is
 * primary): what a test may kill with SIGKILL. {@link #main} is the broker's process; {@link
 * #start} launches it from the test's class path.
 */
public final class BrokerProcess implements AutoCloseable {

  /** The broker's role: alone, or the primary or the backup of a shared-store pair. */
  public enum Role {
    STANDALONE,
    PRIMARY,
    BACKUP
  }

  private final Process process;
  private final int port;
  private final Path log;

  private BrokerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a broker on a free port with its journal in {@code store} (for a pair: the same store
   * for both); {@code peerPort} is the other half's port, or 0 when alone.
   */
  public static BrokerProcess start(String name, Role role, Path store, int port, int peerPort)
      throws IOException {
    Path log = HubInfrastructure.get().dataDir().resolve(name + ".log");
    Process process =
        ChildJvm.start(
            List.of(
                "-Xmx256m",
                "-cp",
                classPath(),
                BrokerProcess.class.getName(),
                role.name(),
                store.toString(),
                Integer.toString(port),
                Integer.toString(peerPort)),
            log);
    return new BrokerProcess(process, port, log);
  }

  /**
   * The test class path: the JVM's own under Surefire and Failsafe; under {@code exec:java} (the
   * benches) the class loader Maven made for the project, whose URLs the JVM's does not list.
   */
  private static String classPath() {
    if (Thread.currentThread().getContextClassLoader() instanceof java.net.URLClassLoader loader) {
      List<String> entries = new ArrayList<>();
      for (java.net.URL url : loader.getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (java.net.URISyntaxException e) {
          throw new IllegalStateException(e);
        }
      }
      if (entries.stream().anyMatch(e -> e.endsWith("test-classes"))) {
        return String.join(java.io.File.pathSeparator, entries);
      }
    }
    return System.getProperty("java.class.path");
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: the journal's lock goes with the process, so a backup on the store takes over. */
  public void kill() {
    ChildJvm.kill(process);
  }

  @Override
  public void close() {
    kill();
  }

  /** The broker's process: {@code role store port peerPort}. */
  public static void main(String[] args) throws Exception {
    Role role = Role.valueOf(args[0]);
    Path store = Path.of(args[1]);
    int port = Integer.parseInt(args[2]);
    int peer = Integer.parseInt(args[3]);
    ConfigurationImpl config = new ConfigurationImpl();
    config.setName("broker-" + role.name().toLowerCase() + "-" + port);
    config.setPersistenceEnabled(true);
    config.setJournalType(JournalType.NIO);
    config.setSecurityEnabled(false);
    config.setJournalDirectory(store.resolve("journal").toString());
    config.setBindingsDirectory(store.resolve("bindings").toString());
    config.setLargeMessagesDirectory(store.resolve("large").toString());
    config.setPagingDirectory(store.resolve("paging").toString());
    config.setNodeManagerLockDirectory(store.toString());
    config.addAcceptorConfiguration("netty", "tcp://127.0.0.1:" + port);
    if (role != Role.STANDALONE) {
      // the pair announce each other over a cluster connection, so that clients learn the backup
      config.addConnectorConfiguration("self", "tcp://127.0.0.1:" + port);
      config.addConnectorConfiguration("peer", "tcp://127.0.0.1:" + peer);
      config.setClusterUser("cluster");
      config.setClusterPassword("cluster-3f9a2c");
      config.addClusterConfiguration(
          new ClusterConnectionConfiguration()
              .setName("onemember-pair")
              .setConnectorName("self")
              .setStaticConnectors(List.of("peer"))
              .setRetryInterval(500));
      config.setHAPolicyConfiguration(
          role == Role.PRIMARY
              ? new SharedStorePrimaryPolicyConfiguration().setFailoverOnServerShutdown(true)
              : new SharedStoreBackupPolicyConfiguration()
                  .setAllowFailBack(false)
                  .setFailoverOnServerShutdown(true));
    }
    EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
    broker.start();
    System.out.println("broker " + role + " started on " + port);
    if (broker.getActiveMQServer().isActive()) {
      System.out.println("broker " + role + " active");
    }
    new CountDownLatch(1).await();
  }
}
