package dev.weir.inspector.internals;

import dev.weir.avro.AudioLayout;
import dev.weir.avro.BatchStats;
import dev.weir.avro.Modality;
import dev.weir.avro.TextLayout;
import dev.weir.avro.TextLayoutKind;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.TokenizerRef;
import dev.weir.avro.VideoGeometry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Token batches as Weir writes them, for the inspector's unit tests. */
final class Batches {

    private Batches() {
    }

    /** A video batch of a {@code width × height} frame in 16-pixel patches. */
    static TokenBatch video(String stream, long seq, long timestampMs, int width, int height, boolean keyframe, List<Integer> sent,
                            List<Integer> reused, int pruned, long encodeNanos) {
        int total = ((width + 15) / 16) * ((height + 15) / 16);
        return batch(stream, seq, timestampMs, Modality.VIDEO, "video-patch-dcvq", 2, total, keyframe, sent, reused, pruned, encodeNanos,
                new VideoGeometry(width, height, 16));
    }

    /** An audio batch of {@code frames} frames of 15 slots from {@code firstFrame}. */
    static TokenBatch audio(String stream, long seq, long timestampMs, long firstFrame, int frames, List<Integer> sent,
                            List<Integer> reused, List<Integer> silent, int pruned) {
        AudioLayout layout = AudioLayout.newBuilder().setSampleRate(16000).setHopSamples(320).setStagesPerFrame(15)
                .setFirstFrame(firstFrame).setFrameCount(frames).setFirstSample(Math.max(0, (firstFrame - 1) * 320))
                .setSampleCount(frames * 320).setSilentFrames(silent).setEndOfStream(false).build();
        return batch(stream, seq, timestampMs, Modality.AUDIO, "audio-frame-vq", 1, frames * 15, false, sent, reused, pruned, 1000, layout);
    }

    /** A text batch of a message of {@code total} ids. */
    static TokenBatch text(String stream, long seq, long timestampMs, int total, List<Integer> sent, TextLayoutKind kind, long ref,
                           long learnedTemplate, List<Integer> newVariables) {
        List<Integer> reused = new ArrayList<>();
        for (int p = 0; p < total; p++) {
            if (!sent.contains(p)) {
                reused.add(p);
            }
        }
        TextLayout layout = TextLayout.newBuilder().setKind(kind).setRef(ref).setLearnedTemplate(learnedTemplate)
                .setNewVariables(newVariables).build();
        return batch(stream, seq, timestampMs, Modality.TEXT, "bpe-cl100k_base", 1, total, kind == TextLayoutKind.LITERAL, sent, reused, 0,
                1000, layout);
    }

    private static TokenBatch batch(String stream, long seq, long timestampMs, Modality modality, String tokenizer, int tokensPerPosition,
                                    int total, boolean keyframe, List<Integer> sent, List<Integer> reused, int pruned, long encodeNanos,
                                    Object layout) {
        List<Integer> tokens = new ArrayList<>();
        for (int i = 0; i < sent.size() * tokensPerPosition; i++) {
            tokens.add(i % 100);
        }
        return TokenBatch.newBuilder().setStreamId(stream).setSeq(seq).setModality(modality).setTimestamp(Instant.ofEpochMilli(timestampMs))
                .setTokenizer(new TokenizerRef(tokenizer, "1", "")).setTokensPerPosition(tokensPerPosition).setTokens(tokens)
                .setPositions(sent).setReusedPositions(reused).setPrunedCount(pruned).setKeyframe(keyframe)
                .setStats(BatchStats.newBuilder().setPositionsTotal(total).setPositionsChanged(sent.size() + pruned)
                        .setPositionsReused(reused.size()).setPositionsPruned(pruned).setEncodeNanos(encodeNanos).setBackend("jvm").build())
                .setBatchSeq(seq).setLayout(layout).build();
    }
}
