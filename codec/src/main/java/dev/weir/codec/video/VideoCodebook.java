package dev.weir.codec.video;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.TokenizerRef;
import dev.weir.kernels.ShapeCodebook;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A trained video codebook artifact: patch size, DC precision and one {@link ShapeCodebook} per
 * stage (stage 0 codes the mean-removed patch, each further stage the residual the previous stages
 * left). Immutable.
 *
 * <p>File format, version 1, big-endian:
 * <pre>
 *   4  bytes  magic "WVCB"
 *   2  bytes  format version (1)
 *   2  bytes  patch size P (8, 16 or 32)
 *   1  byte   dcBits (1..8)
 *   1  byte   stages T (1..8)
 *   2  bytes  id length L, then L bytes of UTF-8 id
 *   T times:  4 bytes size K, 4 bytes dim d (= P·P·3), 1 byte scaleShift (0..4), K·d signed bytes (entry j at [j·d, (j+1)·d))
 * </pre>
 * The {@link #hash()} is the hex SHA-256 of exactly these bytes; it goes into every
 * {@link TokenizerRef} so a decoder can refuse tokens made with another codebook.
 */
public final class VideoCodebook {

    /** Tokenizer family of this codec in {@link TokenizerRef#id()}. */
    public static final String TOKENIZER_ID = "video-patch-dcvq";
    /** Version of the tokenization algorithm and token layout. */
    public static final String TOKENIZER_VERSION = "1";
    /** Largest accepted codebook size per stage. */
    public static final int MAX_SIZE = 1 << 16;
    /** Largest accepted number of stages. */
    public static final int MAX_STAGES = 8;

    private static final byte[] MAGIC = {'W', 'V', 'C', 'B'};
    private static final int FORMAT_VERSION = 1;
    private static final long MAX_FILE_BYTES = 256L << 20;

    private final String id;
    private final int patchSize;
    private final int dcBits;
    private final List<ShapeCodebook> stages;
    private final VideoTokenLayout layout;
    private final byte[] bytes;
    private final String hash;

    private VideoCodebook(String id, int patchSize, int dcBits, List<ShapeCodebook> stages) {
        this.id = id;
        this.patchSize = patchSize;
        this.dcBits = dcBits;
        this.stages = List.copyOf(stages);
        int[] sizes = new int[stages.size()];
        for (int t = 0; t < sizes.length; t++) {
            sizes[t] = stages.get(t).size();
        }
        this.layout = new VideoTokenLayout(dcBits, sizes);
        this.bytes = serialize();
        this.hash = sha256(bytes);
    }

    /**
     * A codebook from its parts.
     *
     * @throws IllegalArgumentException when the parts do not fit together (entry length ≠ P·P·3, too many
     *                                  stages, a stage-0 token wider than 31 bits)
     */
    public static VideoCodebook of(String id, int patchSize, int dcBits, List<ShapeCodebook> stages) {
        Objects.requireNonNull(id, "id");
        if (patchSize != 8 && patchSize != 16 && patchSize != 32) {
            throw new IllegalArgumentException("patch size must be 8, 16 or 32: " + patchSize);
        }
        if (stages.isEmpty() || stages.size() > MAX_STAGES) {
            throw new IllegalArgumentException("stages must be 1.." + MAX_STAGES + ": " + stages.size());
        }
        if (id.getBytes(StandardCharsets.UTF_8).length > 0xFFFF) {
            throw new IllegalArgumentException("codebook id too long");
        }
        int dim = patchSize * patchSize * 3;
        for (ShapeCodebook cb : stages) {
            if (cb.dim() != dim || cb.size() > MAX_SIZE) {
                throw new IllegalArgumentException("stage codebook " + cb.size() + "x" + cb.dim()
                        + " does not fit patch " + patchSize + " (dim " + dim + ", size ≤ " + MAX_SIZE + ")");
            }
        }
        return new VideoCodebook(id, patchSize, dcBits, stages);
    }

    /**
     * Parses the file format above.
     *
     * @throws MediaFormatException when the bytes are not a valid version-1 codebook
     */
    public static VideoCodebook parse(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        try {
            byte[] magic = new byte[4];
            in.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new MediaFormatException("not a Weir video codebook: missing magic \"WVCB\"");
            }
            int version = Short.toUnsignedInt(in.getShort());
            if (version != FORMAT_VERSION) {
                throw new MediaFormatException("video codebook format version " + version + " is not supported (expected "
                        + FORMAT_VERSION + ")");
            }
            int patch = Short.toUnsignedInt(in.getShort());
            int dcBits = in.get();
            int stageCount = in.get();
            if (stageCount < 1 || stageCount > MAX_STAGES) {
                throw new MediaFormatException("video codebook declares " + stageCount + " stages; expected 1.." + MAX_STAGES);
            }
            byte[] idBytes = new byte[Short.toUnsignedInt(in.getShort())];
            in.get(idBytes);
            ShapeCodebook[] stages = new ShapeCodebook[stageCount];
            for (int t = 0; t < stageCount; t++) {
                int size = in.getInt();
                int dim = in.getInt();
                int shift = in.get();
                if (size < 1 || size > MAX_SIZE || dim != patch * patch * 3) {
                    throw new MediaFormatException("video codebook stage " + t + " is " + size + "x" + dim
                            + "; expected size 1.." + MAX_SIZE + " and dim " + patch * patch * 3);
                }
                long need = (long) size * dim;
                if (need > in.remaining()) {
                    throw new MediaFormatException("video codebook truncated: stage " + t + " needs " + need
                            + " bytes, " + in.remaining() + " left");
                }
                byte[] entries = new byte[(int) need];
                in.get(entries);
                stages[t] = new ShapeCodebook(size, dim, shift, entries);
            }
            if (in.hasRemaining()) {
                throw new MediaFormatException("video codebook has " + in.remaining() + " trailing bytes");
            }
            return of(new String(idBytes, StandardCharsets.UTF_8), patch, dcBits, List.of(stages));
        } catch (java.nio.BufferUnderflowException e) {
            throw new MediaFormatException("video codebook truncated at byte " + in.position(), e);
        } catch (IllegalArgumentException e) {
            throw new MediaFormatException("invalid video codebook: " + e.getMessage(), e);
        }
    }

    /** Reads a codebook file. */
    public static VideoCodebook read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new MediaFormatException(file + " is " + size + " bytes, larger than any video codebook ("
                    + MAX_FILE_BYTES + ")");
        }
        return parse(Files.readAllBytes(file));
    }

    /** Reads a codebook from a classpath resource, for example {@code /dev/weir/codec/video/codebook-p16.wvcb}. */
    public static VideoCodebook fromResource(String resource) {
        try (InputStream in = VideoCodebook.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no codebook resource " + resource + " on the classpath");
            }
            return parse(in.readNBytes((int) MAX_FILE_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The built-in default codebook for patch side {@code patch}, trained on public-domain images (see
     * docs/video.md).
     *
     * @throws IllegalArgumentException when there is no built-in codebook for that patch size
     */
    public static VideoCodebook defaultFor(int patch) {
        String resource = "/dev/weir/codec/video/codebook-p" + patch + ".wvcb";
        if (VideoCodebook.class.getResource(resource) == null) {
            throw new IllegalArgumentException("no built-in codebook for patch " + patch
                    + "; train one with 'weir train-codebook --patch " + patch + "' and pass it with --codebook");
        }
        return fromResource(resource);
    }

    /** Writes the file format above. */
    public void write(Path file) throws IOException {
        Files.write(file, bytes);
    }

    /** The file bytes (a copy). */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** This codebook restricted to its first {@code count} stages (a new artifact with its own hash). */
    public VideoCodebook firstStages(int count) {
        if (count < 1 || count > stages.size()) {
            throw new IllegalArgumentException("stages must be 1.." + stages.size() + ": " + count);
        }
        return count == stages.size() ? this : new VideoCodebook(id, patchSize, dcBits, stages.subList(0, count));
    }

    public String id() {
        return id;
    }

    /** Hex SHA-256 of the file bytes. */
    public String hash() {
        return hash;
    }

    public int patchSize() {
        return patchSize;
    }

    public int dcBits() {
        return dcBits;
    }

    /** One codebook per stage, stage 0 first. */
    public List<ShapeCodebook> stages() {
        return stages;
    }

    public VideoTokenLayout layout() {
        return layout;
    }

    /** The tokenizer reference tokens made with this codebook carry. */
    public TokenizerRef tokenizerRef() {
        return new TokenizerRef(TOKENIZER_ID, TOKENIZER_VERSION, hash);
    }

    @Override
    public String toString() {
        return "VideoCodebook[" + id + ", P=" + patchSize + ", dcBits=" + dcBits + ", stages="
                + stages.stream().map(s -> s.size() + "/s" + s.scaleShift()).toList() + ", sha256=" + hash + "]";
    }

    private byte[] serialize() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.write(MAGIC);
            out.writeShort(FORMAT_VERSION);
            out.writeShort(patchSize);
            out.writeByte(dcBits);
            out.writeByte(stages.size());
            byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
            out.writeShort(idBytes.length);
            out.write(idBytes);
            for (ShapeCodebook cb : stages) {
                out.writeInt(cb.size());
                out.writeInt(cb.dim());
                out.writeByte(cb.scaleShift());
                out.write(cb.entries());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
