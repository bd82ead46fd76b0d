package dev.weir.codec.text;

import dev.weir.codec.Encoded;
import dev.weir.codec.SnapshotFormatException;
import dev.weir.codec.TokenPacket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots: exact (a restored codec continues byte for byte), versioned, checked, and bounded. */
class TextSnapshotTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void restoringMidStreamContinuesIdentically(boolean pruning) {
        // given the log and the prose excerpts as one stream, with or without pruning
        TextCompressionConfig config = pruning
                ? TextCompressionConfig.defaults().withPruning(new TextCompressionConfig.Pruning.Keep(0.6))
                : TextCompressionConfig.defaults();
        List<String> messages = new ArrayList<>(TextSamples.lines(TextSamples.DPKG_EXCERPT));
        messages.addAll(TextSamples.lines(TextSamples.JARGON_EXCERPT));
        TextEncoder encoder = TextEncoder.create(BpeEncoding.CL100K_BASE, config);
        TextDecoder decoder = TextDecoder.create(BpeEncoding.CL100K_BASE, config);
        int middle = 70;
        List<Encoded<TextLayout>> packets = new ArrayList<>();
        for (int i = 0; i < middle; i++) {
            packets.add(encoder.encode(i, messages.get(i)));
            decoder.decode(packets.get(i).layout(), packets.get(i).packet());
        }

        // when fresh codecs restore their snapshots in the middle of the stream
        TextEncoder restoredEncoder = TextEncoder.create(BpeEncoding.CL100K_BASE, config);
        restoredEncoder.restore(encoder.snapshot());
        TextDecoder restoredDecoder = TextDecoder.create(BpeEncoding.CL100K_BASE, config);
        restoredDecoder.restore(decoder.snapshot());

        // then both pairs produce the same packets and texts for the rest of the stream, and end in the same state
        for (int i = middle; i < messages.size(); i++) {
            Encoded<TextLayout> a = encoder.encode(i, messages.get(i));
            Encoded<TextLayout> b = restoredEncoder.encode(i, messages.get(i));
            assertSamePacket(a, b);
            assertEquals(decoder.decode(a.layout(), a.packet()), restoredDecoder.decode(b.layout(), b.packet()));
        }
        assertArrayEquals(encoder.snapshot(), restoredEncoder.snapshot());
        assertArrayEquals(decoder.snapshot(), restoredDecoder.snapshot());
    }

    @Test
    void aRestoredDecoderExpandsReferencesLearnedBeforeTheSnapshot() {
        // given an encoder that runs through, and a decoder restarted from its snapshot after message 60
        List<String> lines = TextSamples.lines(TextSamples.DPKG_EXCERPT);
        TextEncoder encoder = TextEncoder.create();
        TextDecoder decoder = TextDecoder.create(BpeEncoding.CL100K_BASE, TextCompressionConfig.defaults());
        byte[] stored = null;
        int references = 0;
        for (int i = 0; i < lines.size(); i++) {
            Encoded<TextLayout> e = encoder.encode(i, lines.get(i));
            if (i > 60 && e.layout().kind() != TextLayout.Kind.LITERAL) {
                references++;
            }
            // when the decoder restarts from the store after message 60
            if (i == 61) {
                decoder = TextDecoder.create(BpeEncoding.CL100K_BASE, TextCompressionConfig.defaults());
                decoder.restore(stored);
            }
            // then every later message, references included, still decodes exactly
            assertEquals(lines.get(i), decoder.decode(e.layout(), e.packet()));
            stored = decoder.snapshot();
        }
        assertTrue(references > 40, "references after the restart: " + references);
    }

    @Test
    void snapshotsStayBoundedAndSmall() {
        // given the default bounds (32 messages / 4,096 chars, 64 templates / 8,192 chars)
        TextEncoder encoder = TextEncoder.create();
        TextDecoder decoder = TextDecoder.create(BpeEncoding.CL100K_BASE, TextCompressionConfig.defaults());
        int fresh = encoder.snapshot().length;
        int largest = 0;
        List<String> messages = new ArrayList<>(TextSamples.lines(TextSamples.DPKG_EXCERPT));
        messages.addAll(TextSamples.lines(TextSamples.JARGON_EXCERPT));
        messages.addAll(TextSamples.lines(TextSamples.DPKG_EXCERPT));

        // when a stream goes through, snapshotted after every message as the topology does
        for (int i = 0; i < messages.size(); i++) {
            Encoded<TextLayout> e = encoder.encode(i, messages.get(i));
            decoder.decode(e.layout(), e.packet());
            largest = Math.max(largest, Math.max(encoder.snapshot().length, decoder.snapshot().length));
        }

        // then a fresh encoder snapshot is 30 bytes and none exceeds 12 KiB (the bounds, not the stream, set it)
        assertEquals(30, fresh);
        assertTrue(largest < 12 * 1024, "largest snapshot " + largest);
    }

    @Test
    void foreignOrDamagedSnapshotsAreRefusedWithTheReason() {
        TextEncoder encoder = TextEncoder.create();
        encoder.encode(0, "2025-06-24 14:36:25 startup archives unpack");
        byte[] good = encoder.snapshot();
        TextDecoder decoder = TextDecoder.create(BpeEncoding.CL100K_BASE, TextCompressionConfig.defaults());

        assertRefused(() -> decoder.restore(good), "snapshot of a text encoder cannot restore a text decoder");
        assertRefused(() -> TextEncoder.create(BpeEncoding.O200K_BASE, TextCompressionConfig.defaults()).restore(good),
                "taken with encoding cl100k_base, this codec uses o200k_base");
        assertRefused(() -> TextEncoder.create(BpeEncoding.CL100K_BASE,
                TextCompressionConfig.defaults().withTemplateBounds(8, 8192)).restore(good), "other compression settings");
        byte[] version = good.clone();
        version[4] = 9;
        assertRefused(() -> TextEncoder.create().restore(version), "version 9 is not supported");
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertRefused(() -> TextEncoder.create().restore(magic), "missing magic");
        assertRefused(() -> TextEncoder.create().restore(Arrays.copyOf(good, good.length - 3)), "truncated");
        assertRefused(() -> TextEncoder.create().restore(Arrays.copyOf(good, good.length + 1)), "trailing bytes");
    }

    private static void assertRefused(Runnable restore, String reason) {
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, restore::run);
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    /** Same packet and layout, except the wall time spent encoding. */
    static void assertSamePacket(Encoded<TextLayout> a, Encoded<TextLayout> b) {
        TokenPacket p = a.packet();
        TokenPacket q = b.packet();
        assertEquals(a.layout(), b.layout());
        assertEquals(new TokenPacket(p.seq(), p.keyframe(), p.positionsTotal(), 1, p.positions(), p.tokens(),
                p.reusedPositions(), p.prunedCount(), p.positionsChanged(), 0), new TokenPacket(q.seq(), q.keyframe(),
                q.positionsTotal(), 1, q.positions(), q.tokens(), q.reusedPositions(), q.prunedCount(),
                q.positionsChanged(), 0));
    }
}
