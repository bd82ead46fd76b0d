package dev.weir.stack.internals;

import dev.weir.stack.SaslListener;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server configuration of the local single-node KRaft broker: one process that is both broker and
 * controller, listening on loopback only, with every internal topic at replication factor 1 so that
 * transactions (exactly-once) and consumer, share and streams groups work on a single node.
 */
public final class BrokerConfig {

    /** Node id of the single combined broker + controller. */
    public static final int NODE_ID = 1;
    public static final String BROKER_LISTENER = "PLAINTEXT";
    public static final String CONTROLLER_LISTENER = "CONTROLLER";

    private BrokerConfig() {
    }

    /**
     * The {@code server.properties} of {@link #serverProperties(Path, int, int, int)} with one more client
     * listener on {@code saslPort}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}, that authenticates {@code sasl}'s user.
     */
    public static Map<String, String> serverProperties(Path dataDir, int brokerPort, int controllerPort, int maxMessageBytes,
                                                       SaslListener sasl, int saslPort) {
        Map<String, String> p = serverProperties(dataDir, brokerPort, controllerPort, maxMessageBytes);
        String listener = sasl.protocol();
        String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
        p.put("listeners", p.get("listeners") + "," + listener + "://127.0.0.1:" + saslPort);
        p.put("advertised.listeners", p.get("advertised.listeners") + "," + listener + "://127.0.0.1:" + saslPort);
        p.put("listener.security.protocol.map", p.get("listener.security.protocol.map") + "," + listener + ":" + listener);
        p.put(prefix + "sasl.enabled.mechanisms", sasl.mechanism());
        p.put(prefix + sasl.mechanism().toLowerCase(Locale.ROOT) + ".sasl.jaas.config", sasl.brokerJaasConfig());
        if (sasl.tls() != null) {
            p.put(prefix + "ssl.keystore.location", sasl.tls().keyStore().toAbsolutePath().toString());
            p.put(prefix + "ssl.keystore.password", sasl.tls().keyStorePassword());
            p.put(prefix + "ssl.keystore.type", "PKCS12");
        }
        return p;
    }

    /**
     * Builds the {@code server.properties} of the local broker.
     *
     * @param dataDir         the log directory (also holds the KRaft metadata log)
     * @param brokerPort      loopback port of the client listener
     * @param controllerPort  loopback port of the KRaft controller listener
     * @param maxMessageBytes largest record batch the broker accepts and replicates
     */
    public static Map<String, String> serverProperties(Path dataDir, int brokerPort, int controllerPort, int maxMessageBytes) {
        Map<String, String> p = new TreeMap<>();
        // KRaft, combined mode: this node is the only voter of the metadata quorum.
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listeners", BROKER_LISTENER + "://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://127.0.0.1:" + brokerPort);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", dataDir.toString());
        p.put("metadata.log.dir", dataDir.toString());

        // One node: every topic, internal or not, has one replica.
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");

        // Video frames are large: accept record batches up to maxMessageBytes (clients must raise
        // max.request.size to send them; consumers fetch an oversized batch whole anyway, KIP-74).
        p.put("message.max.bytes", Integer.toString(maxMessageBytes));
        p.put("replica.fetch.max.bytes", Integer.toString(maxMessageBytes));

        // A small footprint inside someone else's JVM on a small machine.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("background.threads", "4");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        return p;
    }
}
