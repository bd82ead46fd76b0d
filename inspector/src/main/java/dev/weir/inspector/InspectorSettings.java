package dev.weir.inspector;

import dev.weir.topology.WeirConfig;

import java.net.InetSocketAddress;

/**
 * The inspector's settings (docs/inspector.md), read from the same config as every Weir setting.
 *
 * @param port       {@value #PORT}: the inspector's HTTP port; 0 (the default) serves nothing
 * @param bind       {@value #BIND}: the address it listens on, loopback by default
 * @param window     {@value #WINDOW}: events kept per stream (their token counts, fates and timings; the rates and
 *                   shares are over these); media are kept for fewer (see {@code StreamBoard})
 * @param maxStreams {@value #STREAMS}: streams kept; the one seen least recently is forgotten first
 * @param readInputs {@value #READ_INPUTS}: also read the input topics (video source frames beside the decoded ones,
 *                   with PSNR; original audio beside the decoded). Off by default: the inputs are the largest topics
 *                   and may hold what the outputs do not show
 * @param lookback   {@value #LOOKBACK}: records per partition read back from the end when the inspector starts, so
 *                   the page is not empty until new records arrive; 0 reads only what arrives after it starts
 */
public record InspectorSettings(int port, String bind, int window, int maxStreams, boolean readInputs, int lookback) {

    public static final String PORT = "weir.inspector.port";
    public static final String BIND = "weir.inspector.bind";
    public static final String WINDOW = "weir.inspector.window";
    public static final String STREAMS = "weir.inspector.streams";
    public static final String READ_INPUTS = "weir.inspector.read.inputs";
    public static final String LOOKBACK = "weir.inspector.lookback";

    /** The port of {@code weir demo --keep-running} and {@code weir inspect} when none is given (off in {@code weir run}). */
    public static final int DEFAULT_PORT = 9410;
    public static final int DEFAULT_WINDOW = 600;
    public static final int DEFAULT_STREAMS = 64;
    public static final int DEFAULT_LOOKBACK = 200;

    public InspectorSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("setting '" + PORT + "' must be a port, 1..65535, or 0 (no inspector): " + port);
        }
        if (bind == null || bind.isBlank()) {
            throw new IllegalArgumentException("setting '" + BIND + "' must be an address to listen on, e.g. 127.0.0.1");
        }
        if (window < 2 || window > 100_000) {
            throw new IllegalArgumentException("setting '" + WINDOW + "' must be 2..100000 events per stream: " + window);
        }
        if (maxStreams < 1 || maxStreams > 10_000) {
            throw new IllegalArgumentException("setting '" + STREAMS + "' must be 1..10000 streams: " + maxStreams);
        }
        if (lookback < 0) {
            throw new IllegalArgumentException("setting '" + LOOKBACK + "' must be 0 or more records per partition: " + lookback);
        }
    }

    /** The settings of {@code config}: every key is optional. */
    public static InspectorSettings of(WeirConfig config) {
        String inputs = config.get(READ_INPUTS, "false").trim();
        if (!inputs.equals("true") && !inputs.equals("false")) {
            throw new IllegalArgumentException("setting '" + READ_INPUTS + "' must be true or false: " + inputs);
        }
        return new InspectorSettings(config.getInt(PORT, 0), config.get(BIND, "127.0.0.1"), config.getInt(WINDOW, DEFAULT_WINDOW),
                config.getInt(STREAMS, DEFAULT_STREAMS), Boolean.parseBoolean(inputs), config.getInt(LOOKBACK, DEFAULT_LOOKBACK));
    }

    /** Whether the inspector is on ({@link #port()} set). */
    public boolean enabled() {
        return port > 0;
    }

    /** The same settings on {@code port}. */
    public InspectorSettings withPort(int port) {
        return new InspectorSettings(port, bind, window, maxStreams, readInputs, lookback);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(bind, port);
    }
}
