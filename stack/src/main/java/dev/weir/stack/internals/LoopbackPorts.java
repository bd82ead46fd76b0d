package dev.weir.stack.internals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Loopback TCP ports: finding a free one, and asking whether one is still taken. */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** Ports this JVM has handed out, so that two servers starting in parallel never get the same one. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int FORGET_AFTER = 4096;

    /**
     * A port that was free on loopback a moment ago and that this JVM has not handed out before. Another process may
     * still take it before the caller binds it: callers retry on a bind failure.
     */
    public static int free() {
        for (int tries = 0; tries < 64; tries++) {
            int port = bindAndRelease();
            if (HANDED_OUT.size() > FORGET_AFTER) {
                HANDED_OUT.clear();
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no fresh free loopback port after 64 tries"));
    }

    private static int bindAndRelease() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** Whether something accepts TCP connections on {@code host:port} within {@code timeoutMillis}. */
    public static boolean accepts(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
