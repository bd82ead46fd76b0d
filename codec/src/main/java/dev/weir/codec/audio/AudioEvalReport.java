package dev.weir.codec.audio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What {@link AudioEvaluation} measured on one clip. Signals are compared at the tokenizer's rate: the
 * reference is the input downmixed and resampled exactly as the encoder does.
 *
 * @param seconds             clip duration
 * @param inputSampleRate     the file's rate
 * @param sampleRate          the tokenizer's rate (what the metrics are computed at)
 * @param chunkMs             chunk length the clip was cut into for encoding
 * @param tokensFullPerSecond tokens per second of the same tokenizer without compression (50 frames × slots)
 * @param tokensPerSecond     tokens emitted per second
 * @param tokenRatio          tokensPerSecond / tokensFullPerSecond
 * @param kbpsFull            bits per second of the uncompressed tokens (log2 of each slot's codebook size), /1000
 * @param kbps                the same for the emitted tokens
 * @param snrDb               SNR of the decoded signal (see {@link AudioMetrics})
 * @param segSnrDb            segmental SNR (20 ms frames, active frames, clamped to [−10, 35] dB)
 * @param segSnrFullDb        segmental SNR without compression
 * @param lsdDb               log-spectral distance
 * @param lsdFullDb           log-spectral distance without compression
 * @param stoi                STOI (Taal 2011) of the decoded signal
 * @param stoiFull            STOI without compression
 * @param silenceRatio        frames sent as silence (DTX) / frames
 * @param reusedRatio         positions the cacher reused (held token kept, nothing sent) / positions
 * @param prunedRatio         tokens the pruner dropped / tokens of the frames it saw
 * @param realtimeFactor      audio seconds encoded and decoded per second of CPU time of the one thread that does it
 *                            (compressed run, after the JIT warm-up): the speed on one core, whatever else runs
 * @param encoderSnapshotBytes mean size of the encoder's snapshot after a chunk
 * @param decoderSnapshotBytes mean size of the decoder's snapshot after a chunk
 * @param opus6k              Opus at 6 kbps, same run
 * @param opusNearest         Opus at the bitrate nearest ours it allows, same run
 * @param backend             kernel backend
 * @param codebookId          codebook id
 * @param codebookHash        codebook SHA-256
 * @param compression         the compression settings, as text
 */
public record AudioEvalReport(double seconds, int inputSampleRate, int sampleRate, int chunkMs,
                              double tokensFullPerSecond, double tokensPerSecond, double tokenRatio, double kbpsFull,
                              double kbps, double snrDb, double segSnrDb, double segSnrFullDb, double lsdDb,
                              double lsdFullDb, double stoi, double stoiFull, double silenceRatio, double reusedRatio,
                              double prunedRatio, double realtimeFactor, double encoderSnapshotBytes,
                              double decoderSnapshotBytes, Anchor opus6k, Anchor opusNearest, String backend,
                              String codebookId, String codebookHash, String compression) {

    /**
     * One Opus run.
     *
     * @param bitrateSet the bitrate asked of the encoder (bits/s)
     * @param kbps       what its packets actually took
     */
    public record Anchor(int bitrateSet, double kbps, double stoi, double lsdDb, double segSnrDb) {
    }

    /** The report as one JSON object. */
    public String toJson() {
        try {
            return new ObjectMapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
