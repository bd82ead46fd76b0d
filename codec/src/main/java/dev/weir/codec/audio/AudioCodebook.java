package dev.weir.codec.audio;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.TokenizerRef;
import dev.weir.kernels.ShapeCodebook;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A trained audio codebook artifact: the tokenizer's rate and frame, the band layout, and the vector
 * codebooks of the gain–shape tokens. Immutable.
 *
 * <p>A frame's tokens, in slot (stage) order — coarse first, finest last, which is the order the pruner
 * drops them from the end:
 * <ol>
 *   <li>slot 0: the frame gain, the mean band log-energy quantized in {@code gainLevels} steps of
 *       {@code gainStepCentiDb}/100 dB from {@code gainMinCentiDb}/100 dB;</li>
 *   <li>slots 1..E: the residual-VQ stages of the spectral envelope (band log-energies minus the gain, in
 *       1/16 dB);</li>
 *   <li>then, for each shape stage t and each region r: the residual-VQ token of region r's normalized MDCT
 *       shape (the coefficients divided by the decoded band envelope, scaled to unit RMS
 *       {@link #SHAPE_RMS}).</li>
 * </ol>
 *
 * <p>File format, version 1, big-endian:
 * <pre>
 *   4 bytes magic "WACB", 2 bytes format version (1)
 *   4 bytes sample rate, 2 bytes hop (samples per frame)
 *   2 bytes id length L, L bytes UTF-8 id
 *   2 bytes gainLevels, 4 bytes gainMinCentiDb (signed), 2 bytes gainStepCentiDb
 *   1 byte B, (B+1) × 2 bytes band edges in MDCT bins (ascending, 0 .. hop)
 *   1 byte R, (R+1) × 2 bytes shape region edges in bins (ascending, each a band edge)
 *   1 byte E (envelope stages), 1 byte T (shape stages)
 *   E + T·R codebooks in slot order, each: 4 bytes K, 4 bytes d, 1 byte scaleShift, K·d signed bytes
 * </pre>
 * The {@link #hash()} is the hex SHA-256 of exactly these bytes and goes into every {@link TokenizerRef}.
 */
public final class AudioCodebook {

    /** Tokenizer family in {@link TokenizerRef#id()}. */
    public static final String TOKENIZER_ID = "audio-mdct-rvq";
    /** Version of the algorithm (transform, normalization, token layout). */
    public static final String TOKENIZER_VERSION = "1";
    /** RMS per component of a normalized shape vector, in the kernels' short units (|x| ≤ 2047). */
    public static final int SHAPE_RMS = 256;
    /** Envelope vector units per dB. */
    public static final int ENVELOPE_UNITS_PER_DB = 16;
    /** Largest accepted codebook size. */
    public static final int MAX_SIZE = 1 << 14;
    /** Resource of the built-in 16 kHz codebook. */
    public static final String DEFAULT_RESOURCE = "/dev/weir/codec/audio/codebook-16k.wacb";

    private static final byte[] MAGIC = {'W', 'A', 'C', 'B'};
    private static final int FORMAT_VERSION = 1;
    private static final long MAX_FILE_BYTES = 64L << 20;

    private final String id;
    private final int sampleRate;
    private final int hop;
    private final int gainLevels;
    private final int gainMinCentiDb;
    private final int gainStepCentiDb;
    private final int[] bandEdges;
    private final int[] regionEdges;
    private final List<ShapeCodebook> envelope;
    private final List<List<ShapeCodebook>> shape;
    private final byte[] bytes;
    private final String hash;

    private AudioCodebook(String id, int sampleRate, int hop, int gainLevels, int gainMinCentiDb, int gainStepCentiDb,
                          int[] bandEdges, int[] regionEdges, List<ShapeCodebook> envelope,
                          List<List<ShapeCodebook>> shape) {
        this.id = id;
        this.sampleRate = sampleRate;
        this.hop = hop;
        this.gainLevels = gainLevels;
        this.gainMinCentiDb = gainMinCentiDb;
        this.gainStepCentiDb = gainStepCentiDb;
        this.bandEdges = bandEdges.clone();
        this.regionEdges = regionEdges.clone();
        this.envelope = List.copyOf(envelope);
        List<List<ShapeCodebook>> s = new ArrayList<>();
        for (List<ShapeCodebook> stage : shape) {
            s.add(List.copyOf(stage));
        }
        this.shape = List.copyOf(s);
        this.bytes = serialize();
        this.hash = sha256(bytes);
    }

    /**
     * A codebook from its parts.
     *
     * @param shape shape codebooks by stage, then region: {@code shape.get(t).get(r)}
     * @throws IllegalArgumentException when the parts do not fit together
     */
    public static AudioCodebook of(String id, int sampleRate, int hop, int gainLevels, int gainMinCentiDb,
                                   int gainStepCentiDb, int[] bandEdges, int[] regionEdges,
                                   List<ShapeCodebook> envelope, List<List<ShapeCodebook>> shape) {
        Objects.requireNonNull(id, "id");
        if (sampleRate != 16000 && sampleRate != 24000) {
            throw new IllegalArgumentException("tokenizer sample rate must be 16000 or 24000: " + sampleRate);
        }
        if (hop != sampleRate / 50) {
            throw new IllegalArgumentException("hop must be 20 ms (" + sampleRate / 50 + " samples): " + hop);
        }
        if (gainLevels < 2 || gainLevels > MAX_SIZE || gainStepCentiDb <= 0 || gainStepCentiDb > 0xFFFF) {
            throw new IllegalArgumentException("gain quantizer out of range: " + gainLevels + " levels of "
                    + gainStepCentiDb + " cdB");
        }
        checkEdges("band", bandEdges, hop);
        checkEdges("region", regionEdges, hop);
        for (int e : regionEdges) {
            if (Arrays.binarySearch(bandEdges, e) < 0) {
                throw new IllegalArgumentException("region edge " + e + " is not a band edge");
            }
        }
        if (envelope.isEmpty() || envelope.size() > 8 || shape.size() > 8) {
            throw new IllegalArgumentException("1..8 envelope stages and 0..8 shape stages");
        }
        int bands = bandEdges.length - 1;
        for (ShapeCodebook cb : envelope) {
            checkCodebook("envelope", cb, bands);
        }
        for (List<ShapeCodebook> stage : shape) {
            if (stage.size() != regionEdges.length - 1) {
                throw new IllegalArgumentException("every shape stage needs one codebook per region ("
                        + (regionEdges.length - 1) + "), found " + stage.size());
            }
            for (int r = 0; r < stage.size(); r++) {
                checkCodebook("shape region " + r, stage.get(r), regionEdges[r + 1] - regionEdges[r]);
            }
        }
        if (id.getBytes(StandardCharsets.UTF_8).length > 0xFFFF) {
            throw new IllegalArgumentException("codebook id too long");
        }
        return new AudioCodebook(id, sampleRate, hop, gainLevels, gainMinCentiDb, gainStepCentiDb, bandEdges,
                regionEdges, envelope, shape);
    }

    private static void checkEdges(String what, int[] edges, int hop) {
        if (edges.length < 2 || edges.length > 256 || edges[0] < 0 || edges[edges.length - 1] > hop) {
            throw new IllegalArgumentException(what + " edges must be 2..256 values in [0, " + hop + "]: "
                    + Arrays.toString(edges));
        }
        for (int i = 1; i < edges.length; i++) {
            if (edges[i] <= edges[i - 1]) {
                throw new IllegalArgumentException(what + " edges must be strictly ascending: " + Arrays.toString(edges));
            }
        }
    }

    private static void checkCodebook(String what, ShapeCodebook cb, int dim) {
        if (cb.dim() != dim || cb.size() < 2 || cb.size() > MAX_SIZE) {
            throw new IllegalArgumentException(what + " codebook is " + cb.size() + "x" + cb.dim() + "; expected dim "
                    + dim + " and size 2.." + MAX_SIZE);
        }
    }

    /**
     * Parses the file format above.
     *
     * @throws MediaFormatException when the bytes are not a valid version-1 audio codebook
     */
    public static AudioCodebook parse(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        try {
            byte[] magic = new byte[4];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new MediaFormatException("not a Weir audio codebook: missing magic \"WACB\"");
            }
            int version = Short.toUnsignedInt(in.getShort());
            if (version != FORMAT_VERSION) {
                throw new MediaFormatException("audio codebook format version " + version + " is not supported (expected "
                        + FORMAT_VERSION + ")");
            }
            int rate = in.getInt();
            int hop = Short.toUnsignedInt(in.getShort());
            byte[] idBytes = new byte[Short.toUnsignedInt(in.getShort())];
            in.get(idBytes);
            int levels = Short.toUnsignedInt(in.getShort());
            int min = in.getInt();
            int step = Short.toUnsignedInt(in.getShort());
            int[] bands = edges(in);
            int[] regions = edges(in);
            int e = Byte.toUnsignedInt(in.get());
            int t = Byte.toUnsignedInt(in.get());
            if (e > 8 || t > 8) {
                throw new MediaFormatException("audio codebook declares " + e + " envelope and " + t
                        + " shape stages; at most 8 each");
            }
            List<ShapeCodebook> envelope = new ArrayList<>();
            for (int s = 0; s < e; s++) {
                envelope.add(codebook(in));
            }
            List<List<ShapeCodebook>> shape = new ArrayList<>();
            for (int s = 0; s < t; s++) {
                List<ShapeCodebook> stage = new ArrayList<>();
                for (int r = 0; r < regions.length - 1; r++) {
                    stage.add(codebook(in));
                }
                shape.add(stage);
            }
            if (in.hasRemaining()) {
                throw new MediaFormatException("audio codebook has " + in.remaining() + " trailing bytes");
            }
            return of(new String(idBytes, StandardCharsets.UTF_8), rate, hop, levels, min, step, bands, regions,
                    envelope, shape);
        } catch (BufferUnderflowException e) {
            throw new MediaFormatException("audio codebook truncated at byte " + in.position(), e);
        } catch (IllegalArgumentException e) {
            throw new MediaFormatException("invalid audio codebook: " + e.getMessage(), e);
        }
    }

    private static int[] edges(ByteBuffer in) {
        int count = Byte.toUnsignedInt(in.get()) + 1;
        int[] edges = new int[count];
        for (int i = 0; i < count; i++) {
            edges[i] = Short.toUnsignedInt(in.getShort());
        }
        return edges;
    }

    private static ShapeCodebook codebook(ByteBuffer in) {
        int size = in.getInt();
        int dim = in.getInt();
        int shift = in.get();
        if (size < 1 || size > MAX_SIZE || dim < 1 || dim > 4096) {
            throw new MediaFormatException("audio codebook entry table " + size + "x" + dim + " out of range");
        }
        long need = (long) size * dim;
        if (need > in.remaining()) {
            throw new MediaFormatException("audio codebook truncated: a table needs " + need + " bytes, "
                    + in.remaining() + " left");
        }
        byte[] entries = new byte[(int) need];
        in.get(entries);
        return new ShapeCodebook(size, dim, shift, entries);
    }

    /** Reads a codebook file. */
    public static AudioCodebook read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new MediaFormatException(file + " is " + size + " bytes, larger than any audio codebook");
        }
        return parse(Files.readAllBytes(file));
    }

    /** The built-in 16 kHz codebook, trained on LibriVox read speech (see docs/audio.md). */
    public static AudioCodebook defaultCodebook() {
        try (InputStream in = AudioCodebook.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no audio codebook resource " + DEFAULT_RESOURCE + " on the classpath");
            }
            return parse(in.readNBytes((int) MAX_FILE_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the file format above. */
    public void write(Path file) throws IOException {
        Files.write(file, bytes);
    }

    /** The file bytes (a copy). */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The tokenizer reference tokens made with this codebook carry. */
    public TokenizerRef tokenizerRef() {
        return new TokenizerRef(TOKENIZER_ID, TOKENIZER_VERSION, hash);
    }

    /** This codebook with only its first {@code count} shape stages (a new artifact with its own hash). */
    public AudioCodebook firstShapeStages(int count) {
        if (count < 0 || count > shape.size()) {
            throw new IllegalArgumentException("shape stages must be 0.." + shape.size() + ": " + count);
        }
        return new AudioCodebook(id, sampleRate, hop, gainLevels, gainMinCentiDb, gainStepCentiDb, bandEdges,
                regionEdges, envelope, shape.subList(0, count));
    }

    public String id() {
        return id;
    }

    /** Hex SHA-256 of the file bytes. */
    public String hash() {
        return hash;
    }

    /** The tokenizer's sample rate: what the encoder resamples to and the decoder produces. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Samples per frame (20 ms). */
    public int hop() {
        return hop;
    }

    public int gainLevels() {
        return gainLevels;
    }

    public int gainMinCentiDb() {
        return gainMinCentiDb;
    }

    public int gainStepCentiDb() {
        return gainStepCentiDb;
    }

    /** Band edges in MDCT bins (bin k covers (k, k+1)·rate/(2·hop) Hz). */
    public int[] bandEdges() {
        return bandEdges.clone();
    }

    /** Shape region edges in MDCT bins; bins above the last edge are noise-filled from the envelope. */
    public int[] regionEdges() {
        return regionEdges.clone();
    }

    public List<ShapeCodebook> envelopeStages() {
        return envelope;
    }

    /** Shape codebooks, {@code shapeStages().get(t).get(r)}. */
    public List<List<ShapeCodebook>> shapeStages() {
        return shape;
    }

    public int bands() {
        return bandEdges.length - 1;
    }

    public int regions() {
        return regionEdges.length - 1;
    }

    /** Token slots of one frame: 1 (gain) + envelope stages + shape stages × regions. */
    public int slotsPerFrame() {
        return 1 + envelope.size() + shape.size() * regions();
    }

    /** Number of distinct values of slot {@code slot}'s token (its codebook size). */
    public int slotSize(int slot) {
        if (slot == 0) {
            return gainLevels;
        }
        if (slot <= envelope.size()) {
            return envelope.get(slot - 1).size();
        }
        int s = slot - 1 - envelope.size();
        return shape.get(s / regions()).get(s % regions()).size();
    }

    /** Bits of one token of slot {@code slot}: log2 of its codebook size. */
    public double slotBits(int slot) {
        return Math.log(slotSize(slot)) / Math.log(2);
    }

    /** Bits of a whole frame. */
    public double frameBits() {
        double bits = 0;
        for (int s = 0; s < slotsPerFrame(); s++) {
            bits += slotBits(s);
        }
        return bits;
    }

    @Override
    public String toString() {
        return "AudioCodebook[" + id + ", " + sampleRate + " Hz, " + bands() + " bands, envelope "
                + envelope.stream().map(ShapeCodebook::size).toList() + ", shape "
                + shape.stream().map(st -> st.stream().map(ShapeCodebook::size).toList()).toList()
                + ", sha256=" + hash + "]";
    }

    private byte[] serialize() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.write(MAGIC);
            out.writeShort(FORMAT_VERSION);
            out.writeInt(sampleRate);
            out.writeShort(hop);
            byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
            out.writeShort(idBytes.length);
            out.write(idBytes);
            out.writeShort(gainLevels);
            out.writeInt(gainMinCentiDb);
            out.writeShort(gainStepCentiDb);
            writeEdges(out, bandEdges);
            writeEdges(out, regionEdges);
            out.writeByte(envelope.size());
            out.writeByte(shape.size());
            for (ShapeCodebook cb : envelope) {
                writeCodebook(out, cb);
            }
            for (List<ShapeCodebook> stage : shape) {
                for (ShapeCodebook cb : stage) {
                    writeCodebook(out, cb);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private static void writeEdges(DataOutputStream out, int[] edges) throws IOException {
        out.writeByte(edges.length - 1);
        for (int e : edges) {
            out.writeShort(e);
        }
    }

    private static void writeCodebook(DataOutputStream out, ShapeCodebook cb) throws IOException {
        out.writeInt(cb.size());
        out.writeInt(cb.dim());
        out.writeByte(cb.scaleShift());
        out.write(cb.entries());
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
