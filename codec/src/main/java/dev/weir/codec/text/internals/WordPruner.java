package dev.weir.codec.text.internals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lossy prompt compression without a language model, after Selective Context (Li et al., "Compressing
 * Context to Enhance Inference Efficiency of Large Language Models", EMNLP 2023) and LLMLingua (Jiang et
 * al., EMNLP 2023): the words ({@link Words}) of a message are scored by their self-information, the sum
 * over their tokens of −ln p(token | previous token), and the least informative words are dropped until
 * the message keeps about {@code keep} of its tokens. Where those methods ask a language model for p,
 * this one estimates it from the stream itself: bigram and unigram counts of the tokens seen so far, in
 * a {@link CountMinSketch}, with Dirichlet smoothing towards the unigram distribution:
 * p(t | s) = (c(s t) + μ·p₁(t)) / (c(s) + μ), p₁(t) = (c(t) + 1) / (N + V), μ = {@value #MU}.
 * A message is scored with the counts of the messages before it, then counted.
 *
 * <p>Never dropped: the first word of the message, words holding a line end (so the first word of
 * every following line too, which shares its word), blank words, and identifiers and numbers (a digit,
 * {@code _ / \ @ #}, a {@code .} or {@code :} inside a word, or a lower-to-upper case change). Whole words
 * are dropped, so the pruned message tokenizes into exactly the kept words' tokens.
 */
final class WordPruner {

    static final double MU = 2.0;
    private static final int BOS = -1;

    private final double keep;
    private final int vocabulary;
    private final CountMinSketch sketch;

    /** The pruned words and how many tokens were dropped. */
    record Result(String[] words, int droppedTokens) {
    }

    WordPruner(double keep, int sketchWidth, int sketchDepth, int vocabulary) {
        this.keep = keep;
        this.vocabulary = vocabulary;
        this.sketch = new CountMinSketch(sketchWidth, sketchDepth);
    }

    Result prune(String[] words, WordTokens tokens) {
        int n = words.length;
        double[] information = new double[n];
        int[][] ids = new int[n][];
        int total = 0;
        int previous = BOS;
        for (int w = 0; w < n; w++) {
            ids[w] = tokens.of(words[w]);
            for (int id : ids[w]) {
                information[w] += selfInformation(previous, id);
                previous = id;
            }
            total += ids[w].length;
        }
        count(ids);
        long budget = (long) Math.ceil(keep * total);
        List<Integer> candidates = new ArrayList<>();
        for (int w = 1; w < n; w++) {
            if (!isProtected(words[w])) {
                candidates.add(w);
            }
        }
        // Least informative first; among equals, the later word first.
        candidates.sort((a, b) -> information[a] != information[b]
                ? Double.compare(information[a], information[b]) : Integer.compare(b, a));
        boolean[] dropped = new boolean[n];
        int kept = total;
        for (int w : candidates) {
            if (kept <= budget) {
                break;
            }
            dropped[w] = true;
            kept -= ids[w].length;
        }
        if (kept == total) {
            return new Result(words, 0);
        }
        String[] out = new String[n];
        int k = 0;
        for (int w = 0; w < n; w++) {
            if (!dropped[w]) {
                out[k++] = words[w];
            }
        }
        return new Result(Arrays.copyOf(out, k), total - kept);
    }

    /** −ln p(id | previous) from the counts so far. */
    double selfInformation(int previous, int id) {
        double unigram = (sketch.estimate(unigramKey(id)) + 1.0) / (sketch.total() + (double) vocabulary);
        long context = sketch.estimate(unigramKey(previous));
        long pair = Math.min(sketch.estimate(bigramKey(previous, id)), context);
        double p = (pair + MU * unigram) / (context + MU);
        return -Math.log(Math.min(1.0, p));
    }

    private void count(int[][] ids) {
        int previous = BOS;
        sketch.add(unigramKey(BOS));
        for (int[] word : ids) {
            for (int id : word) {
                sketch.add(unigramKey(id));
                sketch.add(bigramKey(previous, id));
                previous = id;
            }
        }
    }

    static boolean isProtected(String word) {
        return word.indexOf('\n') >= 0 || word.indexOf('\r') >= 0 || word.isBlank() || Words.isIdentifier(word);
    }

    private static long unigramKey(int id) {
        return Long.MIN_VALUE | (id & 0xFFFFFFFFL);
    }

    private static long bigramKey(int previous, int id) {
        return ((previous & 0xFFFFFFFFL) << 31) ^ (id & 0xFFFFFFFFL);
    }

    void write(StateOutput out) {
        sketch.write(out);
    }

    void read(StateInput in) {
        sketch.read(in);
    }
}
