package dev.weir.inspector.internals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.avro.DecodedFrame;
import dev.weir.avro.DecodedText;
import dev.weir.avro.PixelFormat;
import dev.weir.avro.TextLayoutKind;
import dev.weir.avro.TokenizerRef;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamBoardTest {

    @Test
    void theStreamListIsJsonWithEachStreamsWindowAndDeadLetters() throws Exception {
        // given a board with a window of 2 events, a video stream of three frames and a dead letter of its key
        StreamBoard board = new StreamBoard("weir-test", 2, 10, false, List.of("weir.video.tokens"));
        board.onTokens("video", Batches.video("cam", 0, 1_000, 32, 32, true, RatesTest.range(4), List.of(), 0, 1_000_000), 5);
        board.onTokens("video", Batches.video("cam", 1, 1_100, 32, 32, false, List.of(0), List.of(1, 2, 3), 0, 1_000_000), 6);
        board.onTokens("video", Batches.video("cam", 2, 1_200, 32, 32, false, List.of(), List.of(0, 1), 2, 3_000_000), 7);
        board.onDeadLetter(new DeadLetter("cam", "video", "not-avro", "bad", "video-tokenizer", "weir.video.frames", "0", "9", 0), 8);

        // when the page asks for the stream list
        JsonNode o = Json.mapper().readTree(Json.bytes(board.overview(10)));

        // then it holds the totals and the numbers of the last two events only
        assertEquals("weir-test", o.get("applicationId").asText());
        assertEquals(4, o.get("records").asLong());
        JsonNode cam = o.get("streams").get(0);
        assertEquals("cam", cam.get("id").asText());
        assertEquals("video", cam.get("modality").asText());
        assertEquals(3, cam.get("batches").asLong());
        assertEquals(1, cam.get("deadLetters").asLong());
        assertEquals("jvm", cam.get("backend").asText());
        assertEquals("video-patch-dcvq/1", cam.get("tokenizer").asText());
        JsonNode w = cam.get("window");
        assertEquals(2, w.get("events").asLong());
        assertEquals(16, w.get("tokensFull").asLong());
        assertEquals(2, w.get("tokensEmitted").asLong());
        assertEquals(5.0 / 8, w.get("cacheHitShare").asDouble(), 1e-12);
        assertEquals(2.0 / 8, w.get("prunedShare").asDouble(), 1e-12);
        assertEquals(10.0, w.get("eventsPerSecond").asDouble(), 1e-9);
        assertEquals(2.0, w.get("encodeMs").asDouble(), 1e-12);
        assertEquals(1, o.get("deadLettersByReason").get("not-avro").asLong());
        assertEquals(1, o.get("deadLettersByModality").get("video").asLong());
    }

    @Test
    void theBoardKeepsAtMostItsStreamsForgettingTheOneReadLeastRecently() {
        StreamBoard board = new StreamBoard("weir-test", 10, 2, false, List.of());
        board.onTokens("video", Batches.video("a", 0, 0, 16, 16, true, List.of(0), List.of(), 0, 0), 1);
        board.onTokens("video", Batches.video("b", 0, 0, 16, 16, true, List.of(0), List.of(), 0, 0), 2);
        board.onTokens("video", Batches.video("a", 1, 10, 16, 16, true, List.of(0), List.of(), 0, 0), 3);
        board.onTokens("video", Batches.video("c", 0, 0, 16, 16, true, List.of(0), List.of(), 0, 0), 4);

        assertEquals(List.of("a", "c"), board.overview(5).streams().stream().map(StreamSummary::id).toList());
        assertTrue(board.detail("b").isEmpty());
    }

    @Test
    void aVideoStreamsPanelHasTheLatestFramesFatesAndATimePlot() {
        StreamBoard board = new StreamBoard("weir-test", 10, 10, false, List.of());
        board.onTokens("video", Batches.video("cam", 0, 0, 32, 16, true, List.of(0, 1), List.of(), 0, 0), 1);
        board.onTokens("video", Batches.video("cam", 1, 66, 32, 16, false, List.of(1), List.of(0), 0, 0), 2);
        board.onDecoded("video", "cam", decodedFrame("cam", 0, 32, 16), 3);
        board.onDecoded("video", "cam", decodedFrame("cam", 1, 32, 16), 4);

        VideoView v = (VideoView) board.detail("cam").orElseThrow().view();

        assertEquals(1, v.frameSeq());
        assertEquals("rs", v.fates().fates());
        assertEquals(new VideoView.FateCounts(0, 1, 1, 0), v.counts());
        assertEquals(2, v.series().size());
        assertTrue(v.series().getFirst().keyframe());
        assertEquals(null, v.series().getFirst().psnr());
        assertFalse(v.inputsRead());
    }

    @Test
    void aTextStreamPairsBatchesWithTheirDecodedTextInEitherOrder() {
        StreamBoard board = new StreamBoard("weir-test", 10, 10, false, List.of());
        String first = "status installed libfoo 1.2", second = "status installed libbar 1.2";
        int ids = dev.weir.codec.text.TextTokenizer.of(dev.weir.codec.text.BpeEncoding.CL100K_BASE).encode(second).length;
        board.onTokens("text", Batches.text("log", 0, 0, ids, RatesTest.range(ids), TextLayoutKind.LITERAL, -1, 0, List.of()), 1);
        board.onDecoded("text", "log", decodedText("log", 0, first), 2);
        board.onDecoded("text", "log", decodedText("log", 1, second), 3);  // the text before its batch
        board.onTokens("text", Batches.text("log", 1, 10, ids, List.of(2), TextLayoutKind.TEMPLATE, 0, -1, List.of(2)), 4);

        TextView t = (TextView) board.detail("log").orElseThrow().view();

        assertEquals(List.of(1L, 0L), t.messages().stream().map(TextView.Message::seq).toList());
        TextView.Message newest = t.messages().getFirst();
        assertEquals("TEMPLATE", newest.kind());
        assertEquals(0, newest.template());
        assertEquals(second, String.join("", newest.spans().stream().map(TextSpans.Span::text).toList()));
        assertEquals(List.of("template", "sent", "template"), newest.spans().stream().map(TextSpans.Span::fate).toList());
        assertEquals(1, t.templates().size());
        assertEquals(1, t.templated());
        assertEquals(ids * 2 - ids - 1, t.tokensSaved());
    }

    static DecodedFrame decodedFrame(String stream, long seq, int w, int h) {
        return DecodedFrame.newBuilder().setStreamId(stream).setSeq(seq).setTimestamp(Instant.ofEpochMilli(seq)).setWidth(w).setHeight(h)
                .setFormat(PixelFormat.RGB24).setData(ByteBuffer.wrap(new byte[w * h * 3])).setTokenizer(new TokenizerRef("v", "1", "")).build();
    }

    static DecodedText decodedText(String stream, long seq, String text) {
        return DecodedText.newBuilder().setStreamId(stream).setSeq(seq).setTimestamp(Instant.ofEpochMilli(seq)).setText(text)
                .setTokenizer(new TokenizerRef("bpe-cl100k_base", "1", "")).build();
    }
}
