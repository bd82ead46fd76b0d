package dev.weir.codec.video;

import dev.weir.codec.MediaFormatException;

/**
 * How a video patch becomes token ids.
 *
 * <p>Stage 0 packs the quantized mean colour and the shape index into one non-negative int:
 * <pre>
 *   token0 = ((((r &lt;&lt; dcBits) | g) &lt;&lt; dcBits | b) &lt;&lt; shapeBits) | shape
 *            bit 31 (sign)    always 0
 *            bits [shapeBits + 2·dcBits, shapeBits + 3·dcBits)   R code
 *            bits [shapeBits + dcBits,   shapeBits + 2·dcBits)   G code
 *            bits [shapeBits,            shapeBits + dcBits)     B code
 *            bits [0, shapeBits)                                 stage-0 shape index
 * </pre>
 * with {@code shapeBits = ⌈log2 K0⌉}. Residual stage t ≥ 1 is its shape index alone, in
 * {@code [0, Kt)}, {@code ⌈log2 Kt⌉} bits. With dcBits 6 and K0 = 1024 a stage-0 token is 28 bits.
 *
 * @param dcBits      bits per channel of the DC code, 1..8
 * @param stageSizes  codebook size K of each stage, stage 0 first
 */
public record VideoTokenLayout(int dcBits, int[] stageSizes) {

    public VideoTokenLayout {
        if (dcBits < 1 || dcBits > 8) {
            throw new IllegalArgumentException("dcBits must be 1..8: " + dcBits);
        }
        if (stageSizes.length == 0) {
            throw new IllegalArgumentException("at least one stage");
        }
        stageSizes = stageSizes.clone();
        for (int k : stageSizes) {
            if (k < 1) {
                throw new IllegalArgumentException("stage codebook size must be positive: " + k);
            }
        }
        if (3 * dcBits + bitsFor(stageSizes[0]) > 31) {
            throw new IllegalArgumentException("stage-0 token needs " + (3 * dcBits + bitsFor(stageSizes[0]))
                    + " bits, more than the 31 of a non-negative int: lower dcBits or the stage-0 codebook size");
        }
    }

    /** Codebook size of each stage (a copy). */
    @Override
    public int[] stageSizes() {
        return stageSizes.clone();
    }

    /** Number of tokens per patch: 1 + residual stages. */
    public int stages() {
        return stageSizes.length;
    }

    /** Bits of stage {@code stage}'s shape index: ⌈log2 K⌉ (0 for K = 1). */
    public int shapeBits(int stage) {
        return bitsFor(stageSizes[stage]);
    }

    /** Packed width of a stage's token: 3·dcBits + shapeBits for stage 0, shapeBits otherwise. */
    public int tokenBits(int stage) {
        return stage == 0 ? 3 * dcBits + shapeBits(0) : shapeBits(stage);
    }

    /** Packed bits of one patch over all stages. */
    public int bitsPerPatch() {
        int bits = 0;
        for (int t = 0; t < stageSizes.length; t++) {
            bits += tokenBits(t);
        }
        return bits;
    }

    /** Packs a stage-0 token from DC codes (each 0..2^dcBits − 1) and a shape index. */
    public int stage0Token(int r, int g, int b, int shape) {
        return ((((r << dcBits) | g) << dcBits | b) << shapeBits(0)) | shape;
    }

    /** DC code of channel {@code c} (0 = R, 1 = G, 2 = B) of a stage-0 token. */
    public int dcCode(int token0, int c) {
        return (token0 >>> (shapeBits(0) + (2 - c) * dcBits)) & ((1 << dcBits) - 1);
    }

    /** Shape index of a stage-0 token. */
    public int shape(int token0) {
        return token0 & ((1 << shapeBits(0)) - 1);
    }

    /**
     * Checks a token of stage {@code stage} is one this layout can produce.
     *
     * @throws MediaFormatException when it is not
     */
    public void check(int stage, int token) {
        boolean ok = token >= 0 && (stage == 0
                ? token >>> tokenBits(0) == 0 && shape(token) < stageSizes[0]
                : token < stageSizes[stage]);
        if (!ok) {
            throw new MediaFormatException("token " + token + " is not a valid stage-" + stage + " token ("
                    + tokenBits(stage) + " bits, shape index below " + stageSizes[stage] + ")");
        }
    }

    private static int bitsFor(int size) {
        return size <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(size - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VideoTokenLayout l && dcBits == l.dcBits && java.util.Arrays.equals(stageSizes, l.stageSizes);
    }

    @Override
    public int hashCode() {
        return 31 * dcBits + java.util.Arrays.hashCode(stageSizes);
    }

    @Override
    public String toString() {
        return "VideoTokenLayout[dcBits=" + dcBits + ", stageSizes=" + java.util.Arrays.toString(stageSizes) + "]";
    }
}
