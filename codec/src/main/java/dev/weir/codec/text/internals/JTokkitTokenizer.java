package dev.weir.codec.text.internals;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.weir.codec.MediaFormatException;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.text.BpeEncoding;
import dev.weir.codec.text.TextTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@link TextTokenizer} over JTokkit (a Java port of tiktoken): {@code encodeOrdinary} and
 * {@code decodeBytes}. The vocabulary file ({@code <name>.tiktoken} inside the JTokkit jar, the same
 * file tiktoken downloads) is hashed once for the {@link TokenizerRef}.
 */
public final class JTokkitTokenizer implements TextTokenizer {

    /** Version of the text codec's layout; part of every {@link TokenizerRef} it writes. */
    public static final String LAYOUT_VERSION = "1";

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    private static final Map<BpeEncoding, JTokkitTokenizer> SHARED = new EnumMap<>(BpeEncoding.class);

    private final BpeEncoding encoding;
    private final Encoding jtokkit;
    private final TokenizerRef ref;
    private final int vocabularySize;

    private JTokkitTokenizer(BpeEncoding encoding) {
        this.encoding = encoding;
        this.jtokkit = REGISTRY.getEncoding(switch (encoding) {
            case CL100K_BASE -> EncodingType.CL100K_BASE;
            case O200K_BASE -> EncodingType.O200K_BASE;
        });
        Vocabulary vocabulary = Vocabulary.read(encoding.encodingName());
        this.vocabularySize = vocabulary.ranks();
        this.ref = new TokenizerRef("bpe-" + encoding.encodingName(), LAYOUT_VERSION, vocabulary.sha256());
    }

    /** The shared instance of {@code encoding}. */
    public static synchronized JTokkitTokenizer of(BpeEncoding encoding) {
        return SHARED.computeIfAbsent(encoding, JTokkitTokenizer::new);
    }

    @Override
    public BpeEncoding encoding() {
        return encoding;
    }

    @Override
    public TokenizerRef ref() {
        return ref;
    }

    @Override
    public int[] encode(String text) {
        return jtokkit.encodeOrdinary(text).toArray();
    }

    @Override
    public int count(String text) {
        return jtokkit.countTokensOrdinary(text);
    }

    /** The JTokkit encoding itself, for same-run baselines. */
    public Encoding jtokkit() {
        return jtokkit;
    }

    @Override
    public byte[] decodeBytes(int[] ids, int from, int length) {
        IntArrayList list = new IntArrayList(length);
        for (int i = from; i < from + length; i++) {
            int id = ids[i];
            if (id < 0 || id >= vocabularySize) {
                throw new MediaFormatException("token id " + id + " is not an ordinary token of " + encoding.encodingName()
                        + " (valid ids are 0.." + (vocabularySize - 1) + ")");
            }
            list.add(id);
        }
        return jtokkit.decodeBytes(list);
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    /** Rank count and SHA-256 of a vocabulary file. */
    private record Vocabulary(int ranks, String sha256) {

        static Vocabulary read(String name) {
            String resource = "/com/knuddels/jtokkit/" + name + ".tiktoken";
            try (InputStream in = JTokkitTokenizer.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("JTokkit vocabulary " + resource + " is not on the classpath");
                }
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1 << 16];
                int lines = 0;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                }
                // One "base64 rank" line per rank, ranks 0..lines-1.
                return new Vocabulary(lines, HexFormat.of().formatHex(sha.digest()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
