package dev.weir.codec.text;

import com.knuddels.jtokkit.api.Encoding;
import dev.weir.codec.Encoded;
import dev.weir.codec.MediaFormatException;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.text.internals.JTokkitTokenizer;
import dev.weir.codec.text.internals.WordTokens;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Offline evaluation of the text codec on a file, with the same {@link TextEncoder} and
 * {@link TextDecoder} the topology runs, and no Kafka.
 *
 * <ol>
 *   <li>A checking pass: every message is encoded, decoded and compared with the original (and with
 *       JTokkit's ids and counts); both codecs are snapshotted after every message, as the topology
 *       does, for the largest snapshot sizes.</li>
 *   <li>Timed rounds, one thread, measured in the thread's CPU time (other processes on a shared machine
 *       then disturb less; wall time where the JVM has no such clock): plain JTokkit {@code encodeOrdinary}
 *       of every message, and a fresh encoder over every message (tokenize + cache, packets built),
 *       interleaved round by round (the order alternating) so both see the same JIT and thermal
 *       conditions. Ours runs twice a round: cold (the shared word memo emptied first, so every word of
 *       the input is new to it) and warm (the memo as the cold pass left it: a stream whose words were
 *       seen before). Warm-up rounds first; the medians are reported.</li>
 *   <li>Anchors for scale: the raw text gzip-compressed and, when zstd-jni is on the classpath,
 *       zstd-compressed, next to the compact size of the emitted batches.</li>
 * </ol>
 */
public final class TextEvaluation {

    /** How an input file is cut into messages. */
    public enum MessageMode {
        /** One message per line (the line end is not part of it; see {@link TextMessages#lines(String)}). */
        LINES,
        /** The whole file as one message. */
        FILE;

        public static MessageMode parse(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "lines" -> LINES;
                case "file" -> FILE;
                default -> throw new IllegalArgumentException("--message must be lines or file, not '" + value + "'");
            };
        }
    }

    /** Default timed rounds of each. */
    public static final int DEFAULT_ROUNDS = 5;
    private static final int WARM_UP_ROUNDS = 2;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String CLOCK = THREADS.isCurrentThreadCpuTimeSupported() ? "thread-cpu" : "wall";

    private TextEvaluation() {
    }

    /**
     * Evaluates the UTF-8 file at {@code input}.
     *
     * @throws MediaFormatException when the file is not valid UTF-8
     */
    public static TextEvalReport run(Path input, MessageMode mode, BpeEncoding encoding, TextCompressionConfig config,
                                     int rounds) throws IOException {
        String text = TextMessages.decodeUtf8Strict(Files.readAllBytes(input));
        return run(input.getFileName().toString(), text, mode, encoding, config, rounds);
    }

    /** Evaluates {@code text} (named {@code name} in the report). */
    public static TextEvalReport run(String name, String text, MessageMode mode, BpeEncoding encoding,
                                     TextCompressionConfig config, int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be ≥ 1: " + rounds);
        }
        List<String> messages = mode == MessageMode.LINES ? TextMessages.lines(text) : List.of(text);
        long largest = messages.stream().mapToLong(m -> TextMessages.utf8Length(m, Long.MAX_VALUE)).max().orElse(0);
        if (mode == MessageMode.FILE && largest > config.maxMessageBytes() && largest <= Integer.MAX_VALUE) {
            // A whole file is one message by request: let it through whatever its size.
            config = config.withMaxMessageBytes((int) largest);
        }
        if (messages.isEmpty()) {
            throw new MediaFormatException("the input has no messages");
        }
        JTokkitTokenizer tokenizer = JTokkitTokenizer.of(encoding);
        Check check = check(messages, tokenizer, config);
        double[] cold = new double[rounds];
        double[] warm = new double[rounds];
        double[] plain = new double[rounds];
        for (int r = -WARM_UP_ROUNDS; r < rounds; r++) {
            double p;
            double c;
            if ((r & 1) == 0) {
                p = timeJtokkit(messages, tokenizer.jtokkit());
                c = timeOurs(messages, tokenizer, config, true);
            } else {
                c = timeOurs(messages, tokenizer, config, true);
                p = timeJtokkit(messages, tokenizer.jtokkit());
            }
            double w = timeOurs(messages, tokenizer, config, false);
            if (r >= 0) {
                plain[r] = p;
                cold[r] = c;
                warm[r] = w;
            }
        }
        double mtok = check.tokensFull / median(cold) / 1e6;
        double mtokWarm = check.tokensFull / median(warm) / 1e6;
        double jtokkitMtok = check.tokensFull / median(plain) / 1e6;
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        return new TextEvalReport(name, mode.name().toLowerCase(Locale.ROOT), encoding.encodingName(), config.describe(),
                text.length(), raw.length, messages.size(), check.tokensFull, check.tokensEmitted,
                check.tokensFull == 0 ? 1 : (double) check.tokensEmitted / check.tokensFull, check.lossless,
                check.idsMatch, check.literals, check.cacheHits, check.templateHits, check.templates, check.pruned,
                mtok, mtokWarm, jtokkitMtok, mtok / jtokkitMtok, mtokWarm / jtokkitMtok, rounds, CLOCK, gzip(raw),
                zstd(raw), check.batchBytes, check.plainBatchBytes, check.encoderSnapshot, check.decoderSnapshot);
    }

    /** Totals of the checking pass. */
    private static final class Check {
        long tokensFull;
        long tokensEmitted;
        boolean lossless = true;
        boolean idsMatch = true;
        int literals;
        int cacheHits;
        int templateHits;
        long templates;
        long pruned;
        long batchBytes;
        long plainBatchBytes;
        int encoderSnapshot;
        int decoderSnapshot;
    }

    private static Check check(List<String> messages, JTokkitTokenizer tokenizer, TextCompressionConfig config) {
        TextEncoder encoder = TextEncoder.create(tokenizer, config);
        TextDecoder decoder = TextDecoder.create(tokenizer, config);
        Check c = new Check();
        for (int i = 0; i < messages.size(); i++) {
            String m = messages.get(i);
            int[] reference = tokenizer.encode(m);
            Encoded<TextLayout> encoded = encoder.encode(i, m);
            TokenPacket packet = encoded.packet();
            TextLayout layout = encoded.layout();
            String decoded = decoder.decode(layout, packet);
            c.lossless &= decoded.equals(m);
            c.tokensFull += reference.length;
            c.tokensEmitted += packet.tokens().length;
            c.pruned += packet.prunedCount();
            if (!layout.pruned()) {
                c.idsMatch &= packet.positionsTotal() == reference.length && (layout.kind() != TextLayout.Kind.LITERAL
                        || Arrays.equals(packet.tokens(), reference));
            }
            switch (layout.kind()) {
                case LITERAL -> c.literals++;
                case CACHED -> c.cacheHits++;
                case TEMPLATE -> c.templateHits++;
            }
            if (layout.learnedTemplate() >= 0) {
                c.templates++;
            }
            c.batchBytes += batchBytes(layout, packet.tokens());
            c.plainBatchBytes += batchBytes(TextLayout.literal(-1, false), reference);
            c.encoderSnapshot = Math.max(c.encoderSnapshot, encoder.snapshot().length);
            c.decoderSnapshot = Math.max(c.decoderSnapshot, decoder.snapshot().length);
        }
        return c;
    }

    /**
     * Compact size of one batch: token count and ids as varints, one byte for the layout's kind and flags
     * (pruned, learns a template: the decoder knows the id it would give), then the refs and arrays as
     * varints (signed ones zigzag), each array after its length. Positions are not counted: the decoder
     * derives them from the layout.
     */
    public static int batchBytes(TextLayout layout, int[] tokens) {
        int bytes = varint(tokens.length) + 1;
        for (int id : tokens) {
            bytes += varint(id);
        }
        switch (layout.kind()) {
            case LITERAL -> {
            }
            case CACHED -> bytes += varint(layout.ref());
            case TEMPLATE -> {
                bytes += varint(layout.ref()) + varint(layout.newVariables().length) + varint(layout.fields());
                int previous = -1;
                for (int p : layout.newVariables()) {
                    bytes += varint(p - previous - 1L);
                    previous = p;
                }
                for (int k = 0; k < layout.fields(); k++) {
                    bytes += varint(layout.fieldTokens()[k]) + varint(layout.fieldPrefix()[k])
                            + varint(layout.fieldSuffix()[k]) + varint(zigzag(layout.fieldSource()[k]));
                }
            }
        }
        return bytes;
    }

    /**
     * Seconds for a fresh encoder over every message; {@code cold}: the shared word memo emptied first
     * (every word of the input is new), else kept from the previous pass (every word seen before).
     */
    private static double timeOurs(List<String> messages, TextTokenizer tokenizer, TextCompressionConfig config,
                                   boolean cold) {
        if (cold) {
            WordTokens.clearShared();
        }
        TextEncoder encoder = TextEncoder.create(tokenizer, config);
        long sink = 0;
        long start = now();
        for (int i = 0; i < messages.size(); i++) {
            sink += encoder.encode(i, messages.get(i)).packet().positionsTotal();
        }
        return seconds(start, sink);
    }

    private static double timeJtokkit(List<String> messages, Encoding jtokkit) {
        long sink = 0;
        long start = now();
        for (String m : messages) {
            sink += jtokkit.encodeOrdinary(m).size();
        }
        return seconds(start, sink);
    }

    /** CPU time of this thread where the JVM measures it (so other processes on a shared machine count less), else wall time. */
    private static long now() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static double seconds(long start, long sink) {
        double s = (now() - start) / 1e9;
        if (sink < 0) {
            throw new IllegalStateException("negative token count");
        }
        return s;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static long gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.size();
    }

    /** zstd level 3 through zstd-jni when it is on the classpath (it comes with kafka-clients); −1 otherwise. */
    private static long zstd(byte[] raw) {
        try {
            Class<?> zstd = Class.forName("com.github.luben.zstd.Zstd");
            return ((byte[]) zstd.getMethod("compress", byte[].class, int.class).invoke(null, raw, 3)).length;
        } catch (ReflectiveOperationException | LinkageError e) {
            return -1;
        }
    }

    private static int varint(long value) {
        int n = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            n++;
        }
        return n;
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }
}
