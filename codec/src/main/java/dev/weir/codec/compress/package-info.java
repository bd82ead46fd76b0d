/**
 * The compression parts every modality assembles (after STC, "Accelerating Streaming Video LLMs via
 * Hierarchical Token Compression"): the {@link dev.weir.codec.compress.Cacher cacher} finds the positions that
 * changed since the decoder last saw them, the {@link dev.weir.codec.compress.KeyframePolicy keyframe policy}
 * says when every position is sent, the {@link dev.weir.codec.compress.Budget budget} and its
 * {@link dev.weir.codec.compress.BudgetMeter meter} say how many tokens a unit may carry, and the
 * {@link dev.weir.codec.compress.Pruner pruner} keeps the most novel changed positions under it
 * ({@link dev.weir.codec.compress.TopK}). Video, audio and text each combine them with their own measures of
 * change and novelty.
 */
package dev.weir.codec.compress;
