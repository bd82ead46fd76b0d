package dev.weir.codec.text;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link TextEvaluation} measured on one input.
 *
 * @param input                the input's name
 * @param message              how the input was cut into messages: {@code lines} or {@code file}
 * @param encoding             BPE encoding
 * @param compression          the settings evaluated, as text
 * @param chars                characters of the input
 * @param rawBytes             UTF-8 bytes of the input
 * @param messages             messages encoded
 * @param tokensFull           ids of every message without compression: JTokkit's {@code encodeOrdinary}
 * @param tokensEmitted        ids the encoder sent
 * @param tokenRatio           tokensEmitted / tokensFull
 * @param lossless             decode(encode(m)) equals m for every message
 * @param idsMatchJtokkit      every packet's {@code positionsTotal} equals JTokkit's count of its message, and every
 *                             unpruned literal's ids equal JTokkit's ids
 * @param literals             messages sent literally
 * @param cacheHits            messages sent as a reference to a cached message
 * @param templateHits         messages sent as a template reference plus fields
 * @param templates            templates learned (created) over the run
 * @param prunedTokens         ids the lossy pruner dropped (0 without pruning)
 * @param mtokPerSec           million tokens (of tokensFull) per second through a fresh encoder (tokenize + cache,
 *                             packets built), one thread, median of the timed rounds, cold: the shared word memo
 *                             emptied before each round
 * @param mtokPerSecWarm       the same with the word memo kept from the cold pass (every word seen before)
 * @param jtokkitMtokPerSec    the same for plain JTokkit {@code encodeOrdinary} of the same messages, rounds
 *                             interleaved with ours
 * @param speedRatio           mtokPerSec / jtokkitMtokPerSec
 * @param speedRatioWarm       mtokPerSecWarm / jtokkitMtokPerSec
 * @param rounds               timed rounds of each (after warm-up rounds)
 * @param clock                what the timings measure: {@code thread-cpu} or {@code wall}
 * @param gzipBytes            the raw input gzip-compressed (java.util.zip, level 6)
 * @param zstdBytes            the raw input zstd-compressed (level 3), −1 when zstd-jni is not on the classpath
 * @param tokenBatchBytes      bytes of the emitted batches, compactly coded: per message the token count and the ids
 *                             as varints plus the layout's fields as varints (no stream id, seq or positions: the
 *                             decoder derives positions)
 * @param plainBatchBytes      the same for every message sent literally (no cache)
 * @param encoderSnapshotBytes largest encoder snapshot over the run
 * @param decoderSnapshotBytes largest decoder snapshot over the run
 */
public record TextEvalReport(String input, String message, String encoding, String compression, long chars,
                             long rawBytes, int messages, long tokensFull, long tokensEmitted, double tokenRatio,
                             boolean lossless, boolean idsMatchJtokkit, int literals, int cacheHits, int templateHits,
                             long templates, long prunedTokens, double mtokPerSec, double mtokPerSecWarm,
                             double jtokkitMtokPerSec, double speedRatio, double speedRatioWarm, int rounds,
                             String clock, long gzipBytes, long zstdBytes, long tokenBatchBytes,
                             long plainBatchBytes, int encoderSnapshotBytes, int decoderSnapshotBytes) {

    /** The fields, in declaration order. */
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("input", input);
        f.put("message", message);
        f.put("encoding", encoding);
        f.put("compression", compression);
        f.put("chars", chars);
        f.put("rawBytes", rawBytes);
        f.put("messages", messages);
        f.put("tokensFull", tokensFull);
        f.put("tokensEmitted", tokensEmitted);
        f.put("tokenRatio", tokenRatio);
        f.put("lossless", lossless);
        f.put("idsMatchJtokkit", idsMatchJtokkit);
        f.put("literals", literals);
        f.put("cacheHits", cacheHits);
        f.put("templateHits", templateHits);
        f.put("templates", templates);
        f.put("prunedTokens", prunedTokens);
        f.put("mtokPerSec", mtokPerSec);
        f.put("mtokPerSecWarm", mtokPerSecWarm);
        f.put("jtokkitMtokPerSec", jtokkitMtokPerSec);
        f.put("speedRatio", speedRatio);
        f.put("speedRatioWarm", speedRatioWarm);
        f.put("rounds", rounds);
        f.put("clock", clock);
        f.put("gzipBytes", gzipBytes);
        f.put("zstdBytes", zstdBytes < 0 ? null : zstdBytes);
        f.put("tokenBatchBytes", tokenBatchBytes);
        f.put("plainBatchBytes", plainBatchBytes);
        f.put("encoderSnapshotBytes", encoderSnapshotBytes);
        f.put("decoderSnapshotBytes", decoderSnapshotBytes);
        return f;
    }

    /** One JSON object with {@link #fields()} (zstdBytes is null when zstd was not available). */
    public String toJson() {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields().entrySet()) {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v instanceof String str) {
                quote(s, str);
            } else if (v instanceof Double d) {
                s.append(Double.isFinite(d) ? new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros()
                        .toPlainString() : "null");
            } else {
                s.append(v);
            }
        }
        return s.append('}').toString();
    }

    private static void quote(StringBuilder s, String value) {
        s.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}
