package dev.weir.inspector.internals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.avro.AudioFormat;
import dev.weir.avro.DecodedAudio;
import dev.weir.avro.TokenizerRef;
import dev.weir.topology.ops.OpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inspector's HTTP side on a real JDK server: the page, the JSON, a frame as PNG, audio as WAV, and what it refuses. */
class InspectorRoutesTest {

    StreamBoard board;
    OpsServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void serve() throws Exception {
        board = new StreamBoard("weir-test", 10, 10, false, List.of());
        server = OpsServer.start(new InetSocketAddress("127.0.0.1", 0));
        server.route(InspectorRoutes.ROOT, new InspectorRoutes(board));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void thePageAndItsFilesAreServedWithAPolicyThatLoadsOnlyThem() throws Exception {
        HttpResponse<String> page = get("/inspector/");
        HttpResponse<String> script = get("/inspector/inspector.js");

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Weir inspector</title>"));
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElseThrow().startsWith("default-src 'self'"));
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("textContent"));
        assertEquals(404, get("/inspector/../../etc/passwd").statusCode());
        assertEquals(404, get("/inspector/api/stream/nobody").statusCode());
    }

    @Test
    void itIsReadOnly() throws Exception {
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/inspector/api/streams")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void streamsAreJsonAndAStreamIdIsAPathSegment() throws Exception {
        board.onTokens("video", Batches.video("cam/1 é", 0, 0, 32, 16, true, List.of(0, 1), List.of(), 0, 0), 1);
        board.onDecoded("video", "cam/1 é", StreamBoardTest.decodedFrame("cam/1 é", 0, 32, 16), 2);

        JsonNode streams = dev.weir.inspector.internals.Json.mapper().readTree(get("/inspector/api/streams").body());
        HttpResponse<String> detail = get("/inspector/api/stream/cam%2F1%20%C3%A9");
        HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(uri("/inspector/api/stream/cam%2F1%20%C3%A9/frame.png")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertEquals("cam/1 é", streams.get("streams").get(0).get("id").asText());
        assertEquals(200, detail.statusCode());
        assertEquals("kk", Json.mapper().readTree(detail.body()).get("view").get("fates").get("fates").asText());
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
        var image = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertEquals(32, image.getWidth());
        assertEquals(16, image.getHeight());
        assertEquals(404, get("/inspector/api/stream/cam%2F1%20%C3%A9/frame.png?track=source").statusCode(), "no source: inputs not read");
    }

    @Test
    void decodedAudioIsServedAsWav() throws Exception {
        board.onTokens("audio", Batches.audio("mic", 0, 0, 0, 2, RatesTest.range(30), List.of(), List.of(), 0), 1);
        ByteBuffer pcm = ByteBuffer.allocate(640 * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 640; i++) {
            pcm.putShort((short) (i % 2 == 0 ? 16384 : -16384));
        }
        pcm.flip();
        board.onDecoded("audio", "mic", DecodedAudio.newBuilder().setStreamId("mic").setSeq(0).setTimestamp(Instant.EPOCH).setSampleRate(16000)
                .setChannels(1).setFormat(AudioFormat.PCM_S16LE).setData(pcm).setTokenizer(new TokenizerRef("a", "1", "")).setFirstSample(0)
                .setEndOfStream(false).build(), 2);

        HttpResponse<byte[]> wav = http.send(HttpRequest.newBuilder(uri("/inspector/api/stream/mic/audio.wav")).build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode view = Json.mapper().readTree(get("/inspector/api/stream/mic").body()).get("view");

        assertEquals(200, wav.statusCode());
        assertEquals(44 + 640 * 2, wav.body().length);
        assertEquals("RIFF", new String(wav.body(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(16000, ByteBuffer.wrap(wav.body()).order(ByteOrder.LITTLE_ENDIAN).getInt(24));
        assertEquals(0.04, view.get("end").asDouble(), 1e-12);
        double lowest = 1, highest = -1;
        for (int c = 0; c < view.get("decoded").get("min").size(); c++) {
            lowest = Math.min(lowest, view.get("decoded").get("min").get(c).asDouble());
            highest = Math.max(highest, view.get("decoded").get("max").get(c).asDouble());
        }
        assertEquals(-0.5, lowest, 1e-3, "the square wave's troughs");
        assertEquals(0.5, highest, 1e-3, "and crests");
        assertEquals(2, view.get("frames").size());

        // and its spectrogram: one column per 10 ms frame that fits, 257 bins upwards, the Nyquist square wave's
        // energy in the top row and none at the bottom
        HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(uri("/inspector/api/stream/mic/spectrogram.png")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
        var spectrogram = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertEquals(1 + (640 - 512) / 160, spectrogram.getWidth());
        assertEquals(512 / 2 + 1, spectrogram.getHeight());
        assertEquals(0xffffff00, spectrogram.getRGB(0, 0), "the loudest level is yellow");
        assertEquals(0xff000000, spectrogram.getRGB(0, 256), "80 dB down is black");
        assertEquals(404, get("/inspector/api/stream/mic/spectrogram.png?track=original").statusCode(), "no original: inputs not read");
    }

    @Test
    void audioAtARateWeirDoesNotTakeHasNoSpectrogram() throws Exception {
        // given a decoded record claiming 2 MHz (a forged record: Weir decodes at 8-48 kHz)
        board.onTokens("audio", Batches.audio("odd", 0, 0, 0, 2, RatesTest.range(30), List.of(), List.of(), 0), 1);
        board.onDecoded("audio", "odd", DecodedAudio.newBuilder().setStreamId("odd").setSeq(0).setTimestamp(Instant.EPOCH)
                .setSampleRate(2_000_000).setChannels(1).setFormat(AudioFormat.PCM_S16LE).setData(ByteBuffer.allocate(640))
                .setTokenizer(new TokenizerRef("a", "1", "")).setFirstSample(0).setEndOfStream(false).build(), 2);

        // when its spectrogram is asked for, then there is none (rather than a window of 65,536 samples and its FFT)
        assertEquals(404, get("/inspector/api/stream/odd/spectrogram.png").statusCode());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return server.uri().resolve(path.substring(1));
    }
}
