package dev.weir.stack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-process KRaft broker on its own: its configuration as the broker reports it, its work directory, close. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalKafkaBrokerIT {

    @TempDir
    static Path workDir;

    private static LocalKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws IOException {
        broker = LocalKafkaBroker.start(workDir);
    }

    @AfterAll
    static void closeBroker() {
        broker.close();
    }

    @Test
    @Order(1)
    void theBrokerRunsWithTheSingleNodeConfiguration() throws Exception {
        try (Admin admin = admin(broker)) {
            // when the broker is asked for its cluster and its own configuration
            String clusterId = admin.describeCluster().clusterId().get();
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(node)).all().get().get(node);

            // then it is the freshly formatted single-node cluster, configured for one node and large records
            assertEquals(broker.clusterId(), clusterId);
            assertEquals(1, admin.describeCluster().nodes().get().size());
            assertEquals(Integer.toString(LocalKafkaBroker.MAX_MESSAGE_BYTES), config.get("message.max.bytes").value());
            assertEquals(Integer.toString(LocalKafkaBroker.MAX_MESSAGE_BYTES), config.get("replica.fetch.max.bytes").value());
            assertEquals("false", config.get("auto.create.topics.enable").value());
            assertEquals("1", config.get("offsets.topic.replication.factor").value());
            assertEquals("1", config.get("transaction.state.log.replication.factor").value());
            assertEquals("1", config.get("transaction.state.log.min.isr").value());
            assertEquals("1", config.get("share.coordinator.state.topic.replication.factor").value());
            assertEquals("0", config.get("group.initial.rebalance.delay.ms").value());
            assertEquals("broker,controller", config.get("process.roles").value());

            // and it keeps a user topic created now (the restart below must not)
            admin.createTopics(List.of(new NewTopic("before-restart", 1, (short) 1))).all().get();
            assertTrue(admin.listTopics().names().get().contains("before-restart"));
        }
        // and the configuration it runs with is on disk for a person to read
        assertTrue(Files.readString(workDir.resolve(LocalKafkaBroker.SERVER_PROPERTIES_NAME)).contains("process.roles=broker,controller"));
    }

    @Test
    @Order(2)
    void aSecondBrokerOnTheSameWorkDirectoryIsRefusedAndLeavesTheFirstAlone() throws Exception {
        // when a second broker is started on the directory the first one holds
        IOException refused = assertThrows(IOException.class, () -> LocalKafkaBroker.start(workDir));

        // then it is refused, saying the directory is in use, and the first broker still serves
        assertTrue(refused.getMessage().contains("in use"), refused.getMessage());
        try (Admin admin = admin(broker)) {
            assertTrue(admin.listTopics().names().get().contains("before-restart"));
        }
    }

    @Test
    @Order(3)
    void closeFreesThePortsAndDeletesTheDataAndARestartIsAFreshCluster() throws Exception {
        // given the first broker's ports and cluster
        int port = broker.port();
        int controllerPort = broker.controllerPort();
        String firstCluster = broker.clusterId();

        // when it is closed, twice (close is idempotent)
        broker.close();
        broker.close();

        // then its data directory is gone and both ports can be bound again
        assertTrue(broker.isClosed());
        assertFalse(Files.exists(broker.dataDir()));
        for (int p : Set.of(port, controllerPort)) {
            try (ServerSocket socket = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(p, socket.getLocalPort());
            }
        }

        // and a broker started again in the same work directory (same JVM) is a new, empty cluster
        broker = LocalKafkaBroker.start(workDir);
        try (Admin admin = admin(broker)) {
            assertNotEquals(firstCluster, admin.describeCluster().clusterId().get());
            assertFalse(admin.listTopics().names().get().contains("before-restart"));
        }
    }

    private static Admin admin(LocalKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}
