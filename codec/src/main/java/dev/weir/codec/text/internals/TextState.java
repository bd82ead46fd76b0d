package dev.weir.codec.text.internals;

import dev.weir.codec.SnapshotFormatException;
import dev.weir.codec.text.TextCompressionConfig;
import dev.weir.codec.text.TextTokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * What a text encoder and its decoder both hold, and keep equal by applying the same operations in the
 * same order: the {@link MessageCache}, the {@link TemplateMiner} and the seq of the last message. Also
 * writes and checks the snapshot header (format version 1):
 * <pre>
 *   4 bytes magic "WTXT", 1 byte version, 1 byte role (1 encoder, 2 decoder),
 *   encoding name (varint length + UTF-8), 4 bytes CRC-32 of the settings that shape the state,
 *   last seq (zigzag varint), then the message cache, the templates and, for an encoder that prunes,
 *   the pruner's sketch
 * </pre>
 * A snapshot restores only into a codec of the same role, encoding and settings (bounds differ, and so
 * would evictions).
 */
final class TextState {

    static final byte ROLE_ENCODER = 1;
    static final byte ROLE_DECODER = 2;
    private static final byte[] MAGIC = {'W', 'T', 'X', 'T'};
    private static final byte VERSION = 1;

    final TextCompressionConfig config;
    final TextTokenizer tokenizer;
    final WordTokens wordTokens;
    final MessageCache cache;
    final TemplateMiner templates;
    long lastSeq = -1;
    private String previousText;
    private String[] previousWords;
    private final int settingsCrc;
    private final String settings;

    TextState(WordTokens wordTokens, TextCompressionConfig config, byte role, boolean withPruning) {
        this.config = config;
        this.tokenizer = wordTokens.tokenizer();
        this.wordTokens = wordTokens;
        this.cache = new MessageCache(config.cacheEntries(), config.cacheChars(), role == ROLE_ENCODER);
        this.templates = new TemplateMiner(config.templates(), config.templateChars(), config.similarity(),
                config.depth(), config.maxChildren());
        this.settings = withPruning ? config.describe()
                : config.withPruning(new TextCompressionConfig.Pruning.Off()).describe();
        CRC32 crc = new CRC32();
        crc.update(settings.getBytes(StandardCharsets.UTF_8));
        this.settingsCrc = (int) crc.getValue();
    }

    /** Whether {@code words} of a {@code chars}-character message may be templated. */
    boolean templatable(String[] words, int chars) {
        return config.cache() && templates.accepts(words, chars, config.maxWords());
    }

    /**
     * Remembers the message just coded as the previous message (template fields may copy its words),
     * when it is small enough to be templated; else forgets the previous message.
     *
     * @param words its words, or null to split them when first needed
     */
    void remember(String text, String[] words) {
        boolean keep = text.length() <= config.templateChars() / 8;
        previousText = keep ? text : null;
        previousWords = keep ? words : null;
    }

    /** The words of the previous message (none before the first, or after a large one). */
    String[] previousWords() {
        if (previousWords == null) {
            previousWords = previousText == null ? new String[0] : Words.split(previousText);
        }
        return previousWords;
    }

    void writeHeader(StateOutput out, byte role) {
        out.raw(MAGIC).rawByte(VERSION).rawByte(role).string(tokenizer.encoding().encodingName());
        out.rawByte(settingsCrc >>> 24).rawByte(settingsCrc >>> 16).rawByte(settingsCrc >>> 8).rawByte(settingsCrc);
        out.signed(lastSeq);
        if (previousText == null) {
            out.varint(0);
        } else {
            out.varint(1).string(previousText);
        }
        cache.write(out);
        templates.write(out);
    }

    /** Checks the header and reads the shared state; the input is left at the role's own body. */
    StateInput readHeader(byte[] snapshot, byte role) {
        if (snapshot == null || snapshot.length < 7) {
            throw new SnapshotFormatException("text state snapshot too short: " + (snapshot == null ? 0 : snapshot.length)
                    + " bytes");
        }
        if (!Arrays.equals(Arrays.copyOf(snapshot, 4), MAGIC)) {
            throw new SnapshotFormatException("not a Weir text state snapshot: missing magic \"WTXT\"");
        }
        if (snapshot[4] != VERSION) {
            throw new SnapshotFormatException("text state snapshot version " + snapshot[4] + " is not supported (expected "
                    + VERSION + "); drop the state store to start the stream afresh");
        }
        if (snapshot[5] != role) {
            throw new SnapshotFormatException("snapshot of a text " + roleName(snapshot[5]) + " cannot restore a text "
                    + roleName(role));
        }
        StateInput in = new StateInput(snapshot, 6);
        String encoding = in.string(64);
        if (!encoding.equals(tokenizer.encoding().encodingName())) {
            throw new SnapshotFormatException("snapshot was taken with encoding " + encoding + ", this codec uses "
                    + tokenizer.encoding().encodingName());
        }
        int crc = (in.rawByte() << 24) | (in.rawByte() << 16) | (in.rawByte() << 8) | in.rawByte();
        if (crc != settingsCrc) {
            throw new SnapshotFormatException(String.format(Locale.ROOT, "snapshot was taken with other compression "
                    + "settings (CRC %08x); this codec has %08x: %s", crc, settingsCrc, settings));
        }
        long seq = in.signed();
        String previous = in.count(1, "previous-message flag") == 0 ? null : in.string(config.templateChars() * 4);
        if (previous != null && previous.length() > config.templateChars() / 8) {
            throw new SnapshotFormatException("text state snapshot: previous message of " + previous.length()
                    + " characters is above the bound " + config.templateChars() / 8);
        }
        previousText = previous;
        previousWords = null;
        cache.read(in);
        templates.read(in, config.maxWords());
        lastSeq = seq;
        return in;
    }

    private static String roleName(byte role) {
        return role == ROLE_ENCODER ? "encoder" : role == ROLE_DECODER ? "decoder" : "role " + role;
    }
}
