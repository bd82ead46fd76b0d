package dev.weir.cli;

import dev.weir.avro.AudioChunk;
import dev.weir.avro.AudioFormat;
import dev.weir.codec.audio.PcmChunk;
import dev.weir.codec.audio.WavReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/** WAV files as {@code AudioChunk} events: the samples as they are in the file, cut into chunks of a duration. */
final class AudioFiles {

    private AudioFiles() {
    }

    /**
     * The chunks of the WAV file {@code path} (PCM16 or float, any rate, mono or stereo), {@code chunkMs} each, at
     * most {@code limit}; the last one (of the file, not of the limit) ends the stream. Timestamps from now.
     */
    static EventReader<AudioChunk> open(Path path, String streamId, int limit, int chunkMs) throws IOException {
        if (chunkMs <= 0) {
            throw new IllegalArgumentException("--chunk-ms must be positive: " + chunkMs);
        }
        return chunks(WavReader.read(path), streamId, limit, chunkMs);
    }

    static EventReader<AudioChunk> chunks(PcmChunk wav, String streamId, int limit, int chunkMs) {
        int frameBytes = wav.format().bytesPerSample() * wav.channels();
        int chunkBytes = Math.max(1, (int) ((long) wav.sampleRate() * chunkMs / 1000)) * frameBytes;
        long start = System.currentTimeMillis();
        byte[] data = wav.data();
        return new EventReader<>() {
            private int seq;
            private int offset;

            @Override
            public Optional<AudioChunk> next() {
                if (seq >= limit || offset >= data.length && seq > 0) {
                    return Optional.empty();
                }
                int end = Math.min(data.length, offset + chunkBytes);
                AudioChunk chunk = AudioChunk.newBuilder().setStreamId(streamId).setSeq(seq)
                        .setTimestamp(Instant.ofEpochMilli(start + (long) seq * chunkMs)).setSampleRate(wav.sampleRate())
                        .setChannels(wav.channels()).setFormat(AudioFormat.valueOf(wav.format().name()))
                        .setData(ByteBuffer.wrap(Arrays.copyOfRange(data, offset, end))).setEndOfStream(end >= data.length)
                        .build();
                offset = end;
                seq++;
                return Optional.of(chunk);
            }

            @Override
            public void close() {
            }
        };
    }
}
