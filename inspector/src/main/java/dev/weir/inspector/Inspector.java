package dev.weir.inspector;

import dev.weir.inspector.internals.InspectorRoutes;
import dev.weir.inspector.internals.OutputReader;
import dev.weir.inspector.internals.StreamBoard;
import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.WeirStartupException;
import dev.weir.topology.ops.OpsServer;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * The Weir inspector (docs/inspector.md): a read-only web page that shows, for every stream, what the compressor
 * kept: live rates and shares per stream, the decoded video with the fate of every patch, decoded audio with the fate
 * of every frame, text with the spans the cache and templates supplied, and the dead letters.
 *
 * <p>It is a client of the cluster like any downstream consumer: it reads Weir's own token, decoded and dead-letter
 * topics (and, when {@code weir.inspector.read.inputs} allows, the video and audio inputs) with a
 * {@code read_committed} consumer that joins no group and commits nothing, keeps a bounded window per stream in
 * memory, and serves the page on its own port ({@code weir.inspector.port}, loopback unless
 * {@code weir.inspector.bind} says otherwise), apart from the operations endpoints: the page shows media, which an
 * operator may expose to no one, while {@code /metrics} is for scrapers. No authentication: keep it on loopback (or
 * behind an authenticating proxy).
 *
 * <pre>{@code
 * try (Inspector inspector = Inspector.start(config, InspectorSettings.of(config))) {
 *     System.out.println("inspector on " + inspector.uri());
 * }
 * }</pre>
 */
public final class Inspector implements AutoCloseable {

    private final SchemaRegistryClient registry;
    private final OutputReader reader;
    private final OpsServer server;

    private Inspector(SchemaRegistryClient registry, OutputReader reader, OpsServer server) {
        this.registry = registry;
        this.reader = reader;
        this.server = server;
    }

    /**
     * Starts reading the topics of {@code config}'s enabled modalities and serving the page on {@code settings}' address
     * (port 0: any free port).
     *
     * @throws WeirStartupException when the page cannot be served there (the port is in use) or the topics cannot be read
     */
    public static Inspector start(WeirConfig config, InspectorSettings settings) {
        SchemaRegistryClient registry = new RestSchemaRegistryClient(config.serdeConfig());
        OutputReader reader = null;
        OpsServer server = null;
        try {
            StreamBoard board = new StreamBoard(config.get(WeirConfig.APPLICATION_ID), settings.window(), settings.maxStreams(),
                    settings.readInputs(), OutputReader.topicsRead(config, settings.readInputs()));
            reader = new OutputReader(config, registry, settings.readInputs(), settings.lookback(), board);
            server = OpsServer.start(settings.address());
            server.route(InspectorRoutes.ROOT, new InspectorRoutes(board));
            server.route("/", exchange -> {
                exchange.getResponseHeaders().set("Location", InspectorRoutes.ROOT);
                OpsServer.respond(exchange, exchange.getRequestURI().getPath().equals("/") ? 302 : 404, "see " + InspectorRoutes.ROOT + "\n");
            });
            reader.start();
            return new Inspector(registry, reader, server);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            if (reader != null) {
                reader.close();
            }
            registry.close();
            if (e instanceof WeirStartupException w) {
                throw w;
            }
            throw new WeirStartupException("cannot start the inspector on " + settings.bind() + ":" + settings.port() + " ("
                    + InspectorSettings.BIND + ", " + InspectorSettings.PORT + "): " + e.getMessage(), e);
        }
    }

    /** The topics an inspector of {@code config} with {@code settings} reads (the inputs too when it reads them). */
    public static List<String> topicsRead(WeirConfig config, InspectorSettings settings) {
        return OutputReader.topicsRead(config, settings.readInputs());
    }

    /** The page: {@code http://HOST:PORT/inspector/}. */
    public URI uri() {
        return server.uri().resolve(InspectorRoutes.ROOT.substring(1));
    }

    /** Stops serving and reading. */
    @Override
    public void close() {
        server.close();
        reader.close();
        registry.close();
    }
}
