package dev.weir.codec.text.internals;

import dev.weir.codec.Encoded;
import dev.weir.codec.MediaFormatException;
import dev.weir.codec.MediaTooLargeException;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.text.TextCompressionConfig;
import dev.weir.codec.text.TextEncoder;
import dev.weir.codec.text.TextLayout;
import dev.weir.codec.text.TextMessages;
import dev.weir.codec.text.TextTokenizer;

import java.util.Arrays;

/**
 * The {@link TextEncoder}: per message, optional pruning ({@link WordPruner}), then the lossless cache:
 * an exact repeat ({@link MessageCache}), else a template match ({@link TemplateMiner}) when it sends
 * fewer tokens, else a literal (which may teach a new template). Word ids come from {@link WordTokens},
 * so a cache hit runs no BPE at all and a template hit only on the fields that changed.
 */
public final class CachingTextEncoder implements TextEncoder {

    private static final int[] NONE = new int[0];

    private final TextCompressionConfig config;
    private final WordTokens wordTokens;
    private final boolean prunes;
    private TextState state;
    private WordPruner pruner;
    private Doorkeeper doorkeeper = new Doorkeeper();

    public CachingTextEncoder(TextTokenizer tokenizer, TextCompressionConfig config) {
        this.config = config;
        this.wordTokens = WordTokens.shared(tokenizer);
        this.prunes = config.pruning() instanceof TextCompressionConfig.Pruning.Keep;
        this.state = new TextState(wordTokens, config, TextState.ROLE_ENCODER, prunes);
        this.pruner = newPruner();
    }

    @Override
    public TokenizerRef tokenizer() {
        return wordTokens.tokenizer().ref();
    }

    @Override
    public TextCompressionConfig config() {
        return config;
    }

    @Override
    public Encoded<TextLayout> encode(long seq, String message) {
        long start = System.nanoTime();
        checkMessage(message);
        String text = message;
        String[] words = null;
        int pruned = 0;
        if (pruner != null) {
            WordPruner.Result result = pruner.prune(Words.split(message), wordTokens);
            words = result.words();
            pruned = result.droppedTokens();
            text = pruned == 0 ? message : String.join("", words);
        }
        Coded coded = config.cache() ? compress(text, words, pruned > 0) : literal(text, words, -1, pruned > 0);
        state.lastSeq = seq;
        if (config.cache()) {
            state.remember(text, coded.words);
        }
        TokenPacket packet = new TokenPacket(seq, coded.layout.kind() == TextLayout.Kind.LITERAL, coded.total, 1,
                coded.positions, coded.tokens, coded.reused, pruned, coded.tokens.length, System.nanoTime() - start);
        return new Encoded<>(packet, coded.layout);
    }

    /** The size limit; unpaired surrogates are refused by {@link Words#split} (a cache hit was checked before). */
    private void checkMessage(String message) {
        int max = config.maxMessageBytes();
        if (message.length() > max) {
            throw new MediaTooLargeException("text message of " + message.length() + " characters (at least as many UTF-8"
                    + " bytes) exceeds the limit of " + max + " bytes");
        }
        if (message.length() * 3L > max) {
            long bytes = TextMessages.utf8Length(message, max);
            if (bytes < 0) {
                throw new MediaFormatException("text message holds an unpaired UTF-16 surrogate: it has no UTF-8 form");
            }
            TextMessages.checkSize(bytes, max);
        }
    }

    /** The tokens, positions and layout of one message. */
    private record Coded(TextLayout layout, int total, int[] positions, int[] tokens, int[] reused, String[] words) {
    }

    private Coded compress(String text, String[] words, boolean lossy) {
        MessageCache.Entry hit = state.cache.find(text);
        if (hit != null) {
            state.cache.touch(hit);
            return new Coded(TextLayout.cached(state.cache.age(hit), lossy), hit.tokens(), NONE, NONE,
                    range(0, hit.tokens()), null);
        }
        if (words == null) {
            words = Words.split(text);
        }
        long learn = -1;
        if (state.templatable(words, text.length())) {
            Template t = state.templates.match(words);
            if (t != null) {
                Coded coded = againstTemplate(t, text, words, lossy);
                if (coded != null) {
                    return coded;
                }
            } else if (TemplateMiner.hasVariableWord(words) || doorkeeper.admit(state.templates.shape(words))) {
                learn = state.templates.nextId();
            }
        }
        return literal(text, words, learn, lossy);
    }

    private Coded literal(String text, String[] words, long learn, boolean lossy) {
        if (words == null) {
            words = Words.split(text);
        }
        int[][] parts = wordTokens.ofAll(words);
        int total = 0;
        for (int[] part : parts) {
            total += part.length;
        }
        int[] tokens = new int[total];
        int[] counts = new int[words.length];
        int at = 0;
        for (int i = 0; i < words.length; i++) {
            System.arraycopy(parts[i], 0, tokens, at, parts[i].length);
            counts[i] = parts[i].length;
            at += parts[i].length;
        }
        if (config.cache()) {
            if (learn >= 0) {
                state.templates.learn(words, counts);
            }
            state.cache.insert(text, total);
        }
        return new Coded(TextLayout.literal(learn, lossy), total, range(0, total), tokens, NONE, words);
    }

    /**
     * The message as template {@code t} plus its fields, each coded against the template's word there
     * (see {@link TextLayout#fieldTokens()}); null when that sends no fewer tokens than a literal.
     */
    private Coded againstTemplate(Template t, String text, String[] words, boolean lossy) {
        int n = words.length;
        int[] newVariables = new int[n];
        boolean[] differ = new boolean[n];
        int newCount = 0;
        int fieldCount = 0;
        for (int i = 0; i < n; i++) {
            boolean differs = !t.words[i].equals(words[i]);
            differ[i] = differs;
            if (!t.variable[i] && differs) {
                newVariables[newCount++] = i;
            }
            if (t.variable[i] || differs) {
                fieldCount++;
            }
        }
        int[] counts = new int[n];
        int[][] ids = new int[n][];
        int[] prefix = new int[n];
        int[] suffix = new int[n];
        int[] fieldTokens = new int[fieldCount];
        int[] fieldPrefix = new int[fieldCount];
        int[] fieldSuffix = new int[fieldCount];
        int[] fieldSource = new int[fieldCount];
        String[] previousWords = state.previousWords();
        int total = 0;
        int sentTotal = 0;
        int field = 0;
        for (int i = 0; i < n; i++) {
            boolean differs = differ[i];
            counts[i] = t.tokens[i];
            prefix[i] = counts[i];
            int source = -1;
            if (differs) {
                ids[i] = wordTokens.of(words[i]);
                counts[i] = ids[i].length;
                source = indexOf(previousWords, words[i]);
                if (source >= 0) {
                    prefix[i] = counts[i];
                } else {
                    int[] base = wordTokens.of(t.words[i]);
                    prefix[i] = commonPrefix(base, ids[i]);
                    suffix[i] = commonSuffix(base, ids[i], prefix[i]);
                    sentTotal += counts[i] - prefix[i] - suffix[i];
                }
            }
            if (t.variable[i] || differs) {
                fieldTokens[field] = counts[i] - prefix[i] - suffix[i];
                fieldPrefix[field] = prefix[i];
                fieldSuffix[field] = suffix[i];
                fieldSource[field++] = source;
            }
            total += counts[i];
        }
        if (sentTotal >= total) {
            return null;
        }
        int[] tokens = new int[sentTotal];
        int[] positions = new int[sentTotal];
        int[] reused = new int[total - sentTotal];
        int at = 0;
        int r = 0;
        int position = 0;
        for (int i = 0; i < n; i++) {
            int sent = counts[i] - prefix[i] - suffix[i];
            for (int k = 0; k < prefix[i]; k++) {
                reused[r++] = position++;
            }
            for (int k = 0; k < sent; k++) {
                tokens[at] = ids[i][prefix[i] + k];
                positions[at++] = position++;
            }
            for (int k = 0; k < suffix[i]; k++) {
                reused[r++] = position++;
            }
        }
        int[] becameVariable = Arrays.copyOf(newVariables, newCount);
        state.templates.update(t, words, counts, becameVariable);
        state.cache.insert(text, total);
        TextLayout layout = TextLayout.template(state.templates.age(t), becameVariable, fieldTokens, fieldPrefix,
                fieldSuffix, fieldSource, lossy);
        return new Coded(layout, total, positions, tokens, reused, words);
    }

    private static int indexOf(String[] words, String word) {
        for (int j = 0; j < words.length; j++) {
            if (words[j].equals(word)) {
                return j;
            }
        }
        return -1;
    }

    /** Length of the longest common prefix of {@code a} and {@code b}. */
    static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int p = 0;
        while (p < n && a[p] == b[p]) {
            p++;
        }
        return p;
    }

    /** Length of the longest common suffix of {@code a} and {@code b} that leaves their first {@code prefix} ids alone. */
    static int commonSuffix(int[] a, int[] b, int prefix) {
        int n = Math.min(a.length, b.length) - prefix;
        int s = 0;
        while (s < n && a[a.length - 1 - s] == b[b.length - 1 - s]) {
            s++;
        }
        return s;
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private WordPruner newPruner() {
        if (config.pruning() instanceof TextCompressionConfig.Pruning.Keep keep) {
            return new WordPruner(keep.ratio(), keep.sketchWidth(), keep.sketchDepth(),
                    wordTokens.tokenizer().vocabularySize());
        }
        return null;
    }

    @Override
    public byte[] snapshot() {
        StateOutput out = new StateOutput();
        state.writeHeader(out, TextState.ROLE_ENCODER);
        doorkeeper.write(out);
        if (pruner != null) {
            pruner.write(out);
        }
        return out.toByteArray();
    }

    @Override
    public void restore(byte[] snapshot) {
        TextState restored = new TextState(wordTokens, config, TextState.ROLE_ENCODER, prunes);
        StateInput in = restored.readHeader(snapshot, TextState.ROLE_ENCODER);
        Doorkeeper restoredDoorkeeper = new Doorkeeper();
        restoredDoorkeeper.read(in);
        WordPruner restoredPruner = newPruner();
        if (restoredPruner != null) {
            restoredPruner.read(in);
        }
        in.expectEnd();
        state = restored;
        doorkeeper = restoredDoorkeeper;
        pruner = restoredPruner;
    }
}
