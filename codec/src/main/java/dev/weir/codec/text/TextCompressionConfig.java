package dev.weir.codec.text;

import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link TextEncoder} compresses a stream of messages (see docs/text.md).
 *
 * <p><b>Lossless cache</b> (on by default): an exact repeat of a recent message is sent as a reference
 * to it; a message that matches a template mined online in the manner of Drain (He, Zhu, Zheng, Lyu,
 * "Drain: An Online Log Parsing Approach with Fixed Depth Tree", ICWS 2017) is sent as the template's
 * id plus the tokens of its variable fields (a field equal to its previous value costs no token).
 * Every bound below is applied identically by the encoder and the decoder, so both evict the same
 * entries and the decoder expands every reference exactly.
 *
 * <p><b>Pruning</b> (off by default, lossy): drops the least informative tokens before the cache
 * sees the message; the decoder then rebuilds the pruned message (a compressed prompt).
 *
 * @param cache           the lossless cache (messages and templates); off = every message literal
 * @param cacheEntries    most recent messages kept for exact repeats (LRU), ≥ 1
 * @param cacheChars      most characters those messages may hold together (LRU), ≥ 1
 * @param templates       most templates kept (LRU), ≥ 1
 * @param templateChars   most characters the templates' constant and last field values may hold together
 * @param similarity      Drain's similarity threshold: a message joins a template when at least this share of
 *                        its words equal the template's constant words, (0, 1]
 * @param depth           Drain's parse-tree depth (root, length layer, depth − 2 leading-word layers), ≥ 2
 * @param maxChildren     Drain's most children of an inner node; further words route to the wildcard child, ≥ 2
 * @param maxWords        messages with more words than this are never templated (they are still cached)
 * @param maxMessageBytes largest accepted message in UTF-8 bytes
 * @param pruning         the lossy pruner
 */
public record TextCompressionConfig(boolean cache, int cacheEntries, int cacheChars, int templates, int templateChars,
                                    double similarity, int depth, int maxChildren, int maxWords, int maxMessageBytes,
                                    Pruning pruning) {

    public static final int DEFAULT_CACHE_ENTRIES = 16;
    public static final int DEFAULT_CACHE_CHARS = 2 * 1024;
    public static final int DEFAULT_TEMPLATES = 32;
    public static final int DEFAULT_TEMPLATE_CHARS = 4 * 1024;
    /** Drain's similarity threshold st. */
    public static final double DEFAULT_SIMILARITY = 0.5;
    /** Drain's depth: two leading-word layers. */
    public static final int DEFAULT_DEPTH = 4;
    /** Drain's maxChild (as in Drain3). */
    public static final int DEFAULT_MAX_CHILDREN = 100;
    public static final int DEFAULT_MAX_WORDS = 256;
    /** 1 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

    public TextCompressionConfig {
        Objects.requireNonNull(pruning, "pruning");
        positive("cacheEntries", cacheEntries);
        positive("cacheChars", cacheChars);
        positive("templates", templates);
        positive("templateChars", templateChars);
        positive("maxWords", maxWords);
        positive("maxMessageBytes", maxMessageBytes);
        if (!(similarity > 0 && similarity <= 1)) {
            throw new IllegalArgumentException("similarity must be in (0, 1]: " + similarity);
        }
        if (depth < 2) {
            throw new IllegalArgumentException("depth must be ≥ 2 (root and length layer): " + depth);
        }
        if (maxChildren < 2) {
            throw new IllegalArgumentException("maxChildren must be ≥ 2: " + maxChildren);
        }
    }

    /** Cache on with the default bounds, no pruning. */
    public static TextCompressionConfig defaults() {
        return new TextCompressionConfig(true, DEFAULT_CACHE_ENTRIES, DEFAULT_CACHE_CHARS, DEFAULT_TEMPLATES,
                DEFAULT_TEMPLATE_CHARS, DEFAULT_SIMILARITY, DEFAULT_DEPTH, DEFAULT_MAX_CHILDREN, DEFAULT_MAX_WORDS,
                DEFAULT_MAX_MESSAGE_BYTES, new Pruning.Off());
    }

    /** Every message literal: the tokenizer alone. */
    public static TextCompressionConfig none() {
        return defaults().withCache(false);
    }

    public TextCompressionConfig withCache(boolean value) {
        return new TextCompressionConfig(value, cacheEntries, cacheChars, templates, templateChars, similarity, depth,
                maxChildren, maxWords, maxMessageBytes, pruning);
    }

    /** Message cache bounds: at most {@code entries} messages and {@code chars} characters. */
    public TextCompressionConfig withCacheBounds(int entries, int chars) {
        return new TextCompressionConfig(cache, entries, chars, templates, templateChars, similarity, depth,
                maxChildren, maxWords, maxMessageBytes, pruning);
    }

    /** Template bounds: at most {@code count} templates and {@code chars} characters. */
    public TextCompressionConfig withTemplateBounds(int count, int chars) {
        return new TextCompressionConfig(cache, cacheEntries, cacheChars, count, chars, similarity, depth,
                maxChildren, maxWords, maxMessageBytes, pruning);
    }

    /** Drain's parameters: similarity threshold, tree depth, most children per inner node. */
    public TextCompressionConfig withDrain(double st, int treeDepth, int children) {
        return new TextCompressionConfig(cache, cacheEntries, cacheChars, templates, templateChars, st, treeDepth,
                children, maxWords, maxMessageBytes, pruning);
    }

    public TextCompressionConfig withMaxWords(int value) {
        return new TextCompressionConfig(cache, cacheEntries, cacheChars, templates, templateChars, similarity, depth,
                maxChildren, value, maxMessageBytes, pruning);
    }

    public TextCompressionConfig withMaxMessageBytes(int value) {
        return new TextCompressionConfig(cache, cacheEntries, cacheChars, templates, templateChars, similarity, depth,
                maxChildren, maxWords, value, pruning);
    }

    public TextCompressionConfig withPruning(Pruning value) {
        return new TextCompressionConfig(cache, cacheEntries, cacheChars, templates, templateChars, similarity, depth,
                maxChildren, maxWords, maxMessageBytes, value);
    }

    /** The settings as one line, for reports. */
    public String describe() {
        String p = switch (pruning) {
            case Pruning.Off o -> "off";
            case Pruning.Keep k -> String.format(Locale.ROOT, "keep %.2f (sketch %dx%d)", k.ratio(), k.sketchDepth(),
                    k.sketchWidth());
        };
        if (!cache) {
            return "cache off, pruning " + p;
        }
        return String.format(Locale.ROOT, "cache %d messages/%d chars, templates %d/%d chars, drain st %.2f depth %d"
                        + " maxChildren %d, maxWords %d, pruning %s", cacheEntries, cacheChars, templates, templateChars,
                similarity, depth, maxChildren, maxWords, p);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be ≥ 1: " + value);
        }
    }

    /** The lossy pruner. */
    public sealed interface Pruning {

        /** No pruning: the decoder rebuilds every message exactly. */
        record Off() implements Pruning {
        }

        /**
         * Keep about {@code ratio} of each message's tokens: drop the tokens with the lowest
         * self-information −log p(token | previous token) from streaming bigram counts kept in a
         * count-min sketch (Cormode and Muthukrishnan 2005) of {@code sketchDepth} rows of
         * {@code sketchWidth} counters. Digits, identifiers, newlines and the first token of a line are
         * never dropped, so a message may keep more.
         */
        record Keep(double ratio, int sketchWidth, int sketchDepth) implements Pruning {

            public static final int DEFAULT_SKETCH_WIDTH = 2048;
            public static final int DEFAULT_SKETCH_DEPTH = 2;

            public Keep {
                if (!(ratio > 0 && ratio <= 1)) {
                    throw new IllegalArgumentException("keep ratio must be in (0, 1]: " + ratio);
                }
                if (sketchWidth < 16 || Integer.bitCount(sketchWidth) != 1) {
                    throw new IllegalArgumentException("sketchWidth must be a power of two ≥ 16: " + sketchWidth);
                }
                if (sketchDepth < 1 || sketchDepth > 8) {
                    throw new IllegalArgumentException("sketchDepth must be in 1..8: " + sketchDepth);
                }
            }

            /** Keep {@code ratio} with the default sketch (2 × 2048 counters). */
            public Keep(double ratio) {
                this(ratio, DEFAULT_SKETCH_WIDTH, DEFAULT_SKETCH_DEPTH);
            }
        }
    }
}
