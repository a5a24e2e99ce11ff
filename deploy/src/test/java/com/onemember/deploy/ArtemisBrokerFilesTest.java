package com.onemember.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.ClusterConnectionConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.FileDeploymentManager;
import org.apache.activemq.artemis.core.config.ha.SharedStoreBackupPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.SharedStorePrimaryPolicyConfiguration;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two {@code broker.xml} files of the HA pair, read as the broker reads them: Artemis' {@link
 * FileDeploymentManager} validates each against the broker's XSD ({@code artemis-configuration.xsd}
 * of the artemis-server version the hub uses) and parses it into a {@link Configuration}, on which
 * the pair's facts are checked: shared-store primary and backup, one journal on the shared volume,
 * the hub's addresses, and the same settings on both sides.
 */
class ArtemisBrokerFilesTest {

  private static final String SHARED_STORE = "/var/lib/artemis-shared/";

  private static Configuration primary;
  private static Configuration backup;

  @BeforeAll
  static void read() throws Exception {
    primary = parse(DeployFiles.path("artemis/primary/broker.xml"));
    backup = parse(DeployFiles.path("artemis/backup/broker.xml"));
  }

  @Test
  void thePrimaryIsASharedStorePrimaryThatHandsOverOnShutdown() {
    assertThat(primary.getHAPolicyConfiguration())
        .isInstanceOfSatisfying(
            SharedStorePrimaryPolicyConfiguration.class,
            policy -> assertThat(policy.isFailoverOnServerShutdown()).isTrue());
    assertThat(primary.getName()).isEqualTo("onemember-primary");
  }

  @Test
  void theBackupIsASharedStoreBackupThatFailsBackAndStandsByAgain() {
    assertThat(backup.getHAPolicyConfiguration())
        .isInstanceOfSatisfying(
            SharedStoreBackupPolicyConfiguration.class,
            policy -> {
              assertThat(policy.isAllowFailBack()).isTrue();
              assertThat(policy.isRestartBackup()).isTrue();
            });
    assertThat(backup.getName()).isEqualTo("onemember-backup");
  }

  @Test
  void bothKeepEveryStoreOnTheSharedVolumeInTheSamePlaces() {
    for (Function<Configuration, String> directory :
        List.<Function<Configuration, String>>of(
            Configuration::getJournalDirectory,
            Configuration::getBindingsDirectory,
            Configuration::getPagingDirectory,
            Configuration::getLargeMessagesDirectory,
            Configuration::getNodeManagerLockDirectory)) {
      assertThat(directory.apply(primary))
          .startsWith(SHARED_STORE)
          .isEqualTo(directory.apply(backup));
    }
    assertThat(primary.isPersistenceEnabled()).isTrue();
    assertThat(backup.isPersistenceEnabled()).isTrue();
    assertThat(primary.getJournalType())
        .isEqualTo(JournalType.NIO)
        .isEqualTo(backup.getJournalType());
  }

  @Test
  void theHubsAddressesExistWithTheirRoutingTypes() {
    for (Configuration broker : List.of(primary, backup)) {
      Map<String, CoreAddressConfiguration> addresses =
          broker.getAddressConfigurations().stream()
              .collect(Collectors.toMap(CoreAddressConfiguration::getName, a -> a));

      assertThat(addresses)
          .containsOnlyKeys(
              "onemember.inbound", "DLQ.onemember.inbound", "onemember.golden.changed");
      assertAnycastQueue(addresses.get("onemember.inbound"));
      assertAnycastQueue(addresses.get("DLQ.onemember.inbound"));
      assertThat(addresses.get("onemember.golden.changed").getRoutingTypes())
          .isEqualTo(EnumSet.of(RoutingType.MULTICAST));
    }
  }

  @Test
  void duplicateDetectionIsKeptInTheJournalAndEverythingElseMayBeCreatedOnFirstUse() {
    for (Configuration broker : List.of(primary, backup)) {
      assertThat(broker.getIDCacheSize()).isPositive();
      assertThat(broker.isPersistIDCache()).isTrue();
      AddressSettings any = broker.getAddressSettings().get("#");
      assertThat(any.isAutoCreateAddresses()).isTrue();
      assertThat(any.isAutoCreateQueues()).isTrue();
      assertThat(any.isAutoCreateDeadLetterResources()).isTrue();
      AddressSettings inbound = broker.getAddressSettings().get("onemember.inbound");
      assertThat(inbound.getDeadLetterAddress().toString()).isEqualTo("DLQ.onemember.inbound");
      assertThat(inbound.getMaxDeliveryAttempts()).isEqualTo(10);
      assertThat(broker.getAddressSettings().get("DLQ.onemember.inbound").getMaxDeliveryAttempts())
          .isEqualTo(-1);
    }
  }

  @Test
  void theUserTheImageCreatesMaySendConsumeAndCreateQueues() {
    for (Configuration broker : List.of(primary, backup)) {
      Set<Role> roles = broker.getSecurityRoles().get("#");
      assertThat(roles)
          .filteredOn(r -> r.getName().equals("amq"))
          .singleElement()
          .satisfies(
              amq -> {
                assertThat(amq.isSend()).isTrue();
                assertThat(amq.isConsume()).isTrue();
                assertThat(amq.isCreateAddress()).isTrue();
                assertThat(amq.isCreateDurableQueue()).isTrue();
                assertThat(amq.isCreateNonDurableQueue()).isTrue();
              });
    }
  }

  @Test
  void eachAnnouncesItselfAndReachesTheOtherByTheirComposeServiceNames() {
    assertClusterConnection(primary, "artemis-primary", "artemis-backup");
    assertClusterConnection(backup, "artemis-backup", "artemis-primary");
  }

  @Test
  void theClusterPasswordIsReadFromTheEnvironmentNotWrittenInTheFile() throws Exception {
    for (String role : List.of("primary", "backup")) {
      String xml = Files.readString(DeployFiles.path("artemis/" + role + "/broker.xml"));
      assertThat(xml).contains("<cluster-password>${ARTEMIS_CLUSTER_PASSWORD}</cluster-password>");
    }
  }

  @Test
  void bothSidesHaveTheSameSettingsButTheirNameConnectorsAndPolicy() {
    assertThat(backup.getAddressConfigurations())
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactlyElementsOf(primary.getAddressConfigurations());
    assertThat(backup.getAddressSettings()).isEqualTo(primary.getAddressSettings());
    assertThat(backup.getSecurityRoles()).isEqualTo(primary.getSecurityRoles());
    assertThat(backup.getAcceptorConfigurations()).isEqualTo(primary.getAcceptorConfigurations());
    assertThat(backup.getClusterUser()).isEqualTo(primary.getClusterUser());
    assertThat(backup.getIDCacheSize()).isEqualTo(primary.getIDCacheSize());
  }

  private static void assertAnycastQueue(CoreAddressConfiguration address) {
    assertThat(address.getRoutingTypes()).isEqualTo(EnumSet.of(RoutingType.ANYCAST));
    assertThat(address.getQueueConfigs())
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.getName().toString()).isEqualTo(address.getName());
              assertThat(q.getRoutingType()).isEqualTo(RoutingType.ANYCAST);
              assertThat(q.isDurable()).isNotEqualTo(Boolean.FALSE);
            });
  }

  private static void assertClusterConnection(Configuration broker, String self, String peer) {
    List<ClusterConnectionConfiguration> connections = broker.getClusterConfigurations();
    assertThat(connections).hasSize(1);
    ClusterConnectionConfiguration connection = connections.get(0);
    Map<String, TransportConfiguration> connectors = broker.getConnectorConfigurations();

    assertThat(connectors.get(connection.getConnectorName()).getParams())
        .containsEntry("host", self)
        .hasEntrySatisfying("port", port -> assertThat(port).hasToString("61616"));
    assertThat(connection.getStaticConnectors()).hasSize(1);
    assertThat(connectors.get(connection.getStaticConnectors().get(0)).getParams())
        .containsEntry("host", peer);
  }

  private static Configuration parse(Path brokerXml) throws Exception {
    FileConfiguration configuration = new FileConfiguration();
    FileDeploymentManager deployment = new FileDeploymentManager(brokerXml.toUri().toString());
    deployment.addDeployable(configuration);
    deployment.readConfiguration();
    assertThat(configuration.isParsed()).isTrue();
    return configuration;
  }
}
