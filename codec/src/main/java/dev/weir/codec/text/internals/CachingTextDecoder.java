package dev.weir.codec.text.internals;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.MediaTooLargeException;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.text.TextCompressionConfig;
import dev.weir.codec.text.TextDecoder;
import dev.weir.codec.text.TextLayout;
import dev.weir.codec.text.TextMessages;
import dev.weir.codec.text.TextTokenizer;

import java.io.ByteArrayOutputStream;

/**
 * The {@link TextDecoder}: rebuilds a message from its packet, then applies to its {@link TextState}
 * exactly what the encoder applied to its own (the same cache insert or refresh, the same template
 * learned or updated), so both keep the same entries and evict the same ones. Everything is checked
 * before the state changes, so a packet that does not fit leaves the decoder as it was.
 *
 * <p>A message is never larger than the encoder's limit ({@link TextCompressionConfig#maxMessageBytes}): a packet
 * of more tokens than that many bytes is refused before it is decoded, and ids are decoded a slice at a time,
 * stopping as soon as the limit is passed (a token can be 128 bytes, so a few kilobytes of ids can spell
 * megabytes of text).
 */
public final class CachingTextDecoder implements TextDecoder {

    /** Ids decoded at a time, so a message is refused at most this many tokens after passing the limit. */
    private static final int DECODE_SLICE = 1024;

    private final TextCompressionConfig config;
    private final WordTokens wordTokens;
    private TextState state;

    public CachingTextDecoder(TextTokenizer tokenizer, TextCompressionConfig config) {
        this.config = config;
        this.wordTokens = WordTokens.shared(tokenizer);
        this.state = new TextState(wordTokens, config, TextState.ROLE_DECODER, false);
    }

    @Override
    public TokenizerRef tokenizer() {
        return wordTokens.tokenizer().ref();
    }

    @Override
    public String decode(TextLayout layout, TokenPacket packet) {
        if (packet.tokensPerPosition() != 1) {
            throw new MediaFormatException("a text packet carries 1 token per position, this one "
                    + packet.tokensPerPosition());
        }
        if (!config.cache() && layout.kind() != TextLayout.Kind.LITERAL) {
            throw new MediaFormatException("this decoder's cache is off; it cannot expand a " + layout.kind() + " packet");
        }
        if (packet.positionsTotal() > config.maxMessageBytes()) {
            throw new MediaTooLargeException("text packet of " + packet.positionsTotal() + " tokens: every token is at least"
                    + " one byte, and a message is at most " + config.maxMessageBytes() + " bytes");
        }
        String text = switch (layout.kind()) {
            case LITERAL -> literal(layout, packet);
            case CACHED -> cached(layout, packet);
            case TEMPLATE -> template(layout, packet);
        };
        state.lastSeq = packet.seq();
        if (config.cache()) {
            state.remember(text, null);
        }
        return text;
    }

    private String cached(TextLayout layout, TokenPacket packet) {
        MessageCache.Entry entry = state.cache.byAge(layout.ref());
        if (entry == null) {
            throw new MediaFormatException("cached message of age " + layout.ref() + " is not in the decoder's cache "
                    + "(the stream is out of sync)");
        }
        if (packet.tokens().length != 0 || packet.positionsTotal() != entry.tokens()) {
            throw new MediaFormatException("cache reference " + layout.ref() + " carries " + packet.tokens().length
                    + " tokens of " + packet.positionsTotal() + "; the cached message has " + entry.tokens()
                    + " and none are sent");
        }
        state.cache.touch(entry);
        return entry.text();
    }

    private String literal(TextLayout layout, TokenPacket packet) {
        int[] ids = packet.tokens();
        String text = utf8(decodeBytes(ids, config.maxMessageBytes()), "literal message");
        if (config.cache()) {
            String[] words = null;
            if (layout.learnedTemplate() >= 0) {
                words = Words.split(text);
                if (layout.learnedTemplate() != state.templates.nextId() || !state.templatable(words, text.length())) {
                    throw new MediaFormatException("the encoder learned template " + layout.learnedTemplate()
                            + " from this message; this decoder would learn " + (state.templatable(words, text.length())
                            ? "template " + state.templates.nextId() : "none") + " (the stream is out of sync)");
                }
            }
            if (words != null) {
                int[] counts = new int[words.length];
                for (int i = 0; i < words.length; i++) {
                    counts[i] = wordTokens.of(words[i]).length;
                }
                state.templates.learn(words, counts);
            }
            state.cache.insert(text, ids.length);
        }
        return text;
    }

    private String template(TextLayout layout, TokenPacket packet) {
        Template t = state.templates.byAge(layout.ref());
        if (t == null) {
            throw new MediaFormatException("template of age " + layout.ref() + " is not in the decoder's templates "
                    + "(the stream is out of sync)");
        }
        int n = t.size();
        boolean[] becomesVariable = new boolean[n];
        for (int p : layout.newVariables()) {
            if (p >= n || t.variable[p]) {
                throw new MediaFormatException("template " + t.id + " has " + n + " words; position " + p
                        + " cannot become variable");
            }
            becomesVariable[p] = true;
        }
        int[] ids = packet.tokens();
        int[] fieldTokens = layout.fieldTokens();
        String[] previousWords = state.previousWords();
        String[] words = new String[n];
        int[] counts = new int[n];
        int field = 0;
        int at = 0;
        int total = 0;
        int budget = config.maxMessageBytes();
        for (int i = 0; i < n; i++) {
            words[i] = t.words[i];
            counts[i] = t.tokens[i];
            if (t.variable[i] || becomesVariable[i]) {
                if (field >= fieldTokens.length) {
                    throw new MediaFormatException("template " + t.id + " needs more than the " + fieldTokens.length
                            + " field token counts sent");
                }
                int sent = fieldTokens[field];
                int prefix = layout.fieldPrefix()[field];
                int suffix = layout.fieldSuffix()[field];
                int source = layout.fieldSource()[field++];
                if (source >= previousWords.length) {
                    throw new MediaFormatException("template " + t.id + " field at word " + i + " copies word " + source
                            + " of a previous message of " + previousWords.length + " words");
                }
                String baseWord = source < 0 ? t.words[i] : previousWords[source];
                int[] base = wordTokens.of(baseWord);
                if (sent > ids.length - at || prefix + suffix > base.length) {
                    throw new MediaFormatException("template " + t.id + " field at word " + i + " takes " + sent
                            + " tokens (" + (ids.length - at) + " left) and " + prefix + " + " + suffix
                            + " of its base word's " + base.length);
                }
                if (sent == 0 && prefix == base.length) {
                    words[i] = baseWord;
                    counts[i] = base.length;
                } else {
                    int[] value = new int[prefix + sent + suffix];
                    System.arraycopy(base, 0, value, 0, prefix);
                    System.arraycopy(ids, at, value, prefix, sent);
                    System.arraycopy(base, base.length - suffix, value, prefix + sent, suffix);
                    byte[] bytes = decodeBytes(value, budget);
                    budget -= bytes.length;
                    words[i] = utf8(bytes, "template field");
                    counts[i] = value.length;
                    at += sent;
                }
            }
            total += counts[i];
        }
        if (field != fieldTokens.length || at != ids.length || total != packet.positionsTotal()) {
            throw new MediaFormatException("template " + t.id + " packet does not fit: " + fieldTokens.length
                    + " field counts for " + field + " fields, " + ids.length + " tokens for " + at + ", total "
                    + packet.positionsTotal() + " for " + total);
        }
        String text = String.join("", words);
        TextMessages.checkSize(TextMessages.utf8Length(text, config.maxMessageBytes()), config.maxMessageBytes());
        state.templates.update(t, words, counts, layout.newVariables());
        state.cache.insert(text, total);
        return text;
    }

    /** The bytes of {@code ids}, refused as soon as they pass {@code maxBytes}. */
    private byte[] decodeBytes(int[] ids, int maxBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int from = 0; from < ids.length; from += DECODE_SLICE) {
            int length = Math.min(DECODE_SLICE, ids.length - from);
            out.writeBytes(wordTokens.tokenizer().decodeBytes(ids, from, length));
            if (out.size() > maxBytes) {
                throw new MediaTooLargeException("text packet's first " + (from + length) + " of " + ids.length
                        + " tokens already decode to " + out.size() + " bytes: the message would be above the limit of "
                        + config.maxMessageBytes() + " bytes");
            }
        }
        return out.toByteArray();
    }

    private static String utf8(byte[] bytes, String what) {
        try {
            return TextMessages.decodeUtf8Strict(bytes);
        } catch (MediaFormatException e) {
            throw new MediaFormatException(what + ": " + e.getMessage());
        }
    }

    @Override
    public byte[] snapshot() {
        StateOutput out = new StateOutput();
        state.writeHeader(out, TextState.ROLE_DECODER);
        return out.toByteArray();
    }

    @Override
    public void restore(byte[] snapshot) {
        TextState restored = new TextState(wordTokens, config, TextState.ROLE_DECODER, false);
        restored.readHeader(snapshot, TextState.ROLE_DECODER).expectEnd();
        state = restored;
    }
}
