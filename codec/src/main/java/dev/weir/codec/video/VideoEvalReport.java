package dev.weir.codec.video;

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
 * @param psnrFullDb       the same with every patch sent (no compression); equal to psnrDb until the
 *                         cacher/pruner lands
 * @param bitsPerPatch     packed bits of one patch's tokens (see {@link VideoTokenLayout#bitsPerPatch()})
 * @param bitsPerPixel     bits of the emitted token ids at their packed width, per pixel per frame
 * @param jpegQuality      ImageIO JPEG quality (1..100) whose bits per pixel is nearest to ours
 * @param jpegBitsPerPixel bits per pixel of the JPEG files at that quality (whole files, headers included)
 * @param jpegPsnrDb       PSNR of those JPEG files decoded, mean over frames
 * @param fps              frames tokenized and decoded per second (wall time of encode + decode)
 * @param backend          kernel backend
 * @param codebookId       codebook id
 * @param codebookHash     codebook SHA-256
 */
public record VideoEvalReport(int frames, int width, int height, int patchSize, int patchesPerFrame,
                              int tokensPerPatch, long tokensFull, long tokensEmitted, double tokenRatio,
                              double psnrDb, double psnrFullDb, int bitsPerPatch, double bitsPerPixel,
                              int jpegQuality, double jpegBitsPerPixel, double jpegPsnrDb, double fps,
                              String backend, String codebookId, String codebookHash) {
}
