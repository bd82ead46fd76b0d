package dev.weir.serdes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;

import dev.weir.avro.AudioChunk;
import dev.weir.avro.AudioFormat;
import dev.weir.avro.ExtensionLayout;
import dev.weir.avro.BatchStats;
import dev.weir.avro.DecodedAudio;
import dev.weir.avro.DecodedFrame;
import dev.weir.avro.DecodedText;
import dev.weir.avro.Modality;
import dev.weir.avro.PixelFormat;
import dev.weir.avro.TextEvent;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.TokenizerRef;
import dev.weir.avro.VideoFrame;
import dev.weir.avro.VideoGeometry;

/** One populated instance of every top-level Weir record, for round-trip tests (the video frame is a real sample JPEG). */
final class WeirRecords {
    static final Instant WHEN = Instant.ofEpochMilli(1_700_000_000_123L);

    private WeirRecords() {
    }

    static VideoFrame videoFrame() {
        byte[] jpeg;
        try {
            jpeg = Files.readAllBytes(Path.of("samples/video/tree/frame-0001.jpg"));
        } catch (IOException e) {
            throw new UncheckedIOException("tests run from the repository root, where samples/ lives", e);
        }
        return VideoFrame.newBuilder().setStreamId("cam-1").setSeq(7).setTimestamp(WHEN).setWidth(320).setHeight(240)
                .setFormat(PixelFormat.JPEG).setData(ByteBuffer.wrap(jpeg)).build();
    }

    static TokenizerRef tokenizer() {
        return TokenizerRef.newBuilder().setId("video-patch-dcvq").setVersion("1").setCodebookHash("ab".repeat(32)).build();
    }

    static TokenBatch tokenBatch() {
        return TokenBatch.newBuilder().setStreamId("cam-1").setSeq(7).setModality(Modality.VIDEO).setTimestamp(WHEN)
                .setTokenizer(tokenizer()).setTokensPerPosition(2)
                .setTokens(List.of(5, 1, 9, 3)).setPositions(List.of(0, 4)).setReusedPositions(List.of(1, 2, 3))
                .setPrunedCount(1).setKeyframe(false)
                .setStats(BatchStats.newBuilder().setPositionsTotal(5).setPositionsChanged(3).setPositionsReused(3)
                        .setPositionsPruned(1).setEncodeNanos(12_345).setBackend("jvm").build())
                .setBatchSeq(6)
                .setLayout(VideoGeometry.newBuilder().setWidth(320).setHeight(240).setPatchSize(16).build())
                .build();
    }

    static List<SpecificRecord> all() {
        return List.of(
                videoFrame(),
                AudioChunk.newBuilder().setStreamId("mic-1").setSeq(3).setTimestamp(WHEN).setSampleRate(16_000)
                        .setChannels(1).setFormat(AudioFormat.PCM_S16LE).setData(ByteBuffer.wrap(new byte[] {1, 0, -1, -1})).build(),
                TextEvent.newBuilder().setStreamId("chat-1").setSeq(1).setTimestamp(WHEN).setText("héllo wörld").build(),
                tokenBatch(),
                TokenBatch.newBuilder(tokenBatch()).setModality(Modality.OTHER)
                        .setLayout(ExtensionLayout.newBuilder().setModality("toy").setData(ByteBuffer.wrap(new byte[] {7, 1})).build())
                        .build(),
                DecodedFrame.newBuilder().setStreamId("cam-1").setSeq(7).setTimestamp(WHEN).setWidth(2).setHeight(1)
                        .setFormat(PixelFormat.RGB24).setData(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6})).setTokenizer(tokenizer()).build(),
                DecodedAudio.newBuilder().setStreamId("mic-1").setSeq(3).setTimestamp(WHEN).setSampleRate(16_000).setChannels(1)
                        .setFormat(AudioFormat.F32LE).setData(ByteBuffer.wrap(new byte[] {0, 0, -128, 63})).setTokenizer(tokenizer()).build(),
                DecodedText.newBuilder().setStreamId("chat-1").setSeq(1).setTimestamp(WHEN).setText("héllo wörld")
                        .setTokenizer(tokenizer()).build());
    }
}
