package dev.weir.inspector.internals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.weir.codec.audio.PcmChunk;
import dev.weir.codec.audio.Spectrogram;
import dev.weir.topology.ops.OpsServer;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The inspector's pages under {@value #ROOT}: the page and its files, and the JSON, pictures and sound it polls.
 * Read-only: {@code GET} and {@code HEAD} only.
 *
 * <pre>
 * /inspector/                                   the page (index.html, inspector.js, inspector.css)
 * /inspector/api/streams                        {@link Overview}: every stream's row, dead-letter counts
 * /inspector/api/dead-letters                   the last dead letters, newest first
 * /inspector/api/stream/ID                      {@link StreamDetail}: the row and the modality's view
 * /inspector/api/stream/ID/frame.png?track=decoded|source   the latest decoded (or source) video frame
 * /inspector/api/stream/ID/audio.wav?track=decoded|original the audio held, as WAV
 * /inspector/api/stream/ID/spectrogram.png?track=decoded|original its spectrogram
 * </pre>
 */
public final class InspectorRoutes implements HttpHandler {

    public static final String ROOT = "/inspector/";
    private static final String API = ROOT + "api/";
    /** The page loads only its own files; pictures and sound come from the same origin. */
    private static final String CSP = "default-src 'self'; img-src 'self' blob: data:; media-src 'self'; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'";

    private final StreamBoard board;
    private final StaticFiles files = new StaticFiles();

    public InspectorRoutes(StreamBoard board) {
        this.board = board;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            OpsServer.respond(exchange, 405, "method not allowed\n");
            return;
        }
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        String path = exchange.getRequestURI().getRawPath();
        if (path.equals(ROOT) || path.equals(ROOT + "index.html")) {
            file(exchange, "index.html");
        } else if (path.startsWith(API)) {
            api(exchange, path.substring(API.length()));
        } else {
            file(exchange, path.substring(ROOT.length()));
        }
    }

    private void api(HttpExchange exchange, String rest) throws IOException {
        long now = System.currentTimeMillis();
        if (rest.equals("streams")) {
            json(exchange, board.overview(now));
            return;
        }
        if (rest.equals("dead-letters")) {
            json(exchange, board.deadLetters());
            return;
        }
        if (!rest.startsWith("stream/")) {
            notFound(exchange);
            return;
        }
        String[] parts = rest.substring("stream/".length()).split("/", -1);
        String id = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        String track = query(exchange, "track");
        if (parts.length == 1) {
            Optional<StreamDetail> detail = board.detail(id);
            if (detail.isPresent()) {
                json(exchange, detail.get());
            } else {
                notFound(exchange);
            }
        } else if (parts.length == 2 && parts[1].equals("frame.png")) {
            // (media are encoded outside the board's lock, from copies taken under it)
            respond(exchange, "image/png", board.withTracker(id, t -> t instanceof VideoTracker v
                    ? ("source".equals(track) ? v.sourcePicture() : v.decodedPicture()).map(p -> p.rgb()) : Optional.empty())
                    .map(Png::of));
        } else if (parts.length == 2 && parts[1].equals("audio.wav")) {
            respond(exchange, "audio/wav", heldAudio(id, track).map(a -> Wav.pcm16(a.samples(), a.rate())));
        } else if (parts.length == 2 && parts[1].equals("spectrogram.png")) {
            respond(exchange, "image/png", heldAudio(id, track)
                    .filter(a -> a.rate() >= PcmChunk.MIN_RATE && a.rate() <= PcmChunk.MAX_RATE)
                    .map(InspectorRoutes::spectrogram));
        } else {
            notFound(exchange);
        }
    }

    /** 200 with {@code body}, or 404 when there is none. */
    private static void respond(HttpExchange exchange, String contentType, Optional<byte[]> body) throws IOException {
        if (body.isPresent()) {
            OpsServer.respond(exchange, 200, contentType, body.get());
        } else {
            notFound(exchange);
        }
    }

    /** A copy of the audio an audio stream's track holds ({@code original} or, by default, decoded), if any. */
    private Optional<HeldAudio> heldAudio(String id, String track) {
        return board.withTracker(id, t -> {
            if (!(t instanceof AudioTracker a)) {
                return Optional.empty();
            }
            AudioTrack chosen = "original".equals(track) ? a.originalTrack() : a.decodedTrack();
            return chosen.isEmpty() ? Optional.empty() : Optional.of(new HeldAudio(chosen.samples(), chosen.rate()));
        });
    }

    /** A copy of the samples an audio track held at one moment. */
    private record HeldAudio(float[] samples, int rate) {
    }

    /** Columns of a spectrogram picture at most: 10 ms each for the first 40 s, wider beyond. */
    static final int MAX_SPECTROGRAM_COLUMNS = 4096;

    /**
     * The spectrogram as a PNG: Hann windows of 21–32 ms (the power of two under a 30th of a second: 512 samples at
     * 16 kHz, 1,024 at 44.1 and 48 kHz) every 10 ms (or more, to stay within {@value #MAX_SPECTROGRAM_COLUMNS}
     * columns), down to 80 dB under the loudest bin.
     */
    private static byte[] spectrogram(HeldAudio audio) {
        int window = Integer.highestOneBit(audio.rate() / 30);
        int hop = Math.max(audio.rate() / 100, Math.ceilDiv(audio.samples().length, MAX_SPECTROGRAM_COLUMNS));
        return Png.of(Spectrogram.of(audio.samples(), audio.rate(), window, hop, 80).picture());
    }

    private void file(HttpExchange exchange, String name) throws IOException {
        Optional<StaticFiles.File> file = files.get(name);
        if (file.isEmpty()) {
            notFound(exchange);
            return;
        }
        OpsServer.respond(exchange, 200, file.get().contentType(), file.get().bytes());
    }

    private static void json(HttpExchange exchange, Object view) throws IOException {
        OpsServer.respond(exchange, 200, "application/json", Json.bytes(view));
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        OpsServer.respond(exchange, 404, "not found\n");
    }

    /** The first value of {@code name} in the query string, or null. */
    static String query(HttpExchange exchange, String name) {
        String q = exchange.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
