package dev.weir.codec.video;

import java.util.Map;

/**
 * What {@link VideoEvaluation} measured on one clip.
 *
 * @param frames           frames evaluated
 * @param width            frame width
 * @param height           frame height
 * @param patchSize        patch side P
 * @param patchesPerFrame  patches per frame n
 * @param tokensPerPatch   tokens per patch (1 + residual stages)
 * @param tokensFull       tokens an uncompressed stream carries: frames · n · tokensPerPatch
 * @param tokensEmitted    tokens the encoder actually emitted
 * @param tokenRatio       tokensEmitted / tokensFull
 * @param psnrDb           PSNR of the decoded frames against the originals (RGB, peak 255), mean over frames;
 *                         a frame decoded exactly counts as {@value VideoEvaluation#PSNR_CAP_DB} dB
 * @param psnrFullDb       the same with every patch of every frame sent (the tokenizer without compression)
 * @param cacheHitRatio    positions the cacher reused (not searched, not sent) / (frames · n)
 * @param prunedRatio      changed positions the pruner dropped / changed positions, over non-keyframes
 * @param keyframes        keyframes sent (the first frame included)
 * @param bitsPerPatch     packed bits of one patch's tokens (see {@link VideoTokenLayout#bitsPerPatch()})
 * @param bitsPerPixel     bits of the emitted token ids at their packed width, per pixel per frame
 * @param jpegQuality      ImageIO JPEG quality (1..100) whose bits per pixel is nearest to ours
 * @param jpegBitsPerPixel bits per pixel of the JPEG files at that quality (whole files, headers included)
 * @param jpegPsnrDb       PSNR of those JPEG files decoded, mean over frames
 * @param fps              frames tokenized, compressed and decoded per second (wall time of encode + decode)
 * @param fpsFull          the same without compression (every patch searched every frame)
 * @param compression      the compression settings evaluated, as text
 * @param baselines        same-run baselines at the same token budget, by name: {@code uniformSkip},
 *                         {@code randomPrune}, {@code noCache}
 * @param backend          kernel backend
 * @param codebookId       codebook id
 * @param codebookHash     codebook SHA-256
 */
public record VideoEvalReport(int frames, int width, int height, int patchSize, int patchesPerFrame,
                              int tokensPerPatch, long tokensFull, long tokensEmitted, double tokenRatio,
                              double psnrDb, double psnrFullDb, double cacheHitRatio, double prunedRatio,
                              int keyframes, int bitsPerPatch, double bitsPerPixel,
                              int jpegQuality, double jpegBitsPerPixel, double jpegPsnrDb, double fps, double fpsFull,
                              String compression, Map<String, Baseline> baselines,
                              String backend, String codebookId, String codebookHash) {

    public VideoEvalReport {
        baselines = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(baselines));
    }

    /**
     * One baseline of the same run.
     *
     * @param tokenRatio tokens it emitted / tokensFull
     * @param psnrDb     mean PSNR of its decoded frames
     * @param fps        frames encoded and decoded per second
     * @param method     what it does, in words
     */
    public record Baseline(double tokenRatio, double psnrDb, double fps, String method) {
    }
}
