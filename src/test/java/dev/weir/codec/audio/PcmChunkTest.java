package dev.weir.codec.audio;

import dev.weir.codec.MediaFormatException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Validation of external PCM chunks, sample conversion and downmix. */
class PcmChunkTest {

    @Test
    void badChunksAreRefusedWithAMessageThatSaysWhy() {
        byte[] ok = new byte[640];
        assertMessage("outside 8000..48000", () -> PcmChunk.of(7999, 1, SampleFormat.PCM_S16LE, ok, 1 << 20));
        assertMessage("outside 8000..48000", () -> PcmChunk.of(96000, 1, SampleFormat.PCM_S16LE, ok, 1 << 20));
        assertMessage("3 channels", () -> PcmChunk.of(16000, 3, SampleFormat.PCM_S16LE, ok, 1 << 20));
        assertMessage("not a multiple of 4", () -> PcmChunk.of(16000, 2, SampleFormat.PCM_S16LE, new byte[6], 1 << 20));
        assertMessage("not a multiple of 4", () -> PcmChunk.of(16000, 1, SampleFormat.F32LE, new byte[6], 1 << 20));
        assertMessage("larger than the limit", () -> PcmChunk.of(16000, 1, SampleFormat.PCM_S16LE, ok, 639));
        assertMessage("no sample format", () -> PcmChunk.of(16000, 1, null, ok, 1 << 20));
        for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            byte[] floats = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(bad).array();
            assertMessage("must be finite", () -> PcmChunk.of(16000, 1, SampleFormat.F32LE, floats, 1 << 20));
        }
    }

    @Test
    void theSizeLimitIsCheckedBeforeAnythingElse() {
        // given an oversized chunk whose other fields are also wrong
        // then the size is what the message names
        assertMessage("larger than the limit", () -> PcmChunk.of(1, 9, SampleFormat.F32LE, new byte[101], 100));
    }

    @Test
    void samplesConvertAndStereoDownmixes() {
        // given stereo PCM16 (1000, −3000) and stereo floats (0.5, −0.25)
        byte[] s16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 1000)
                .putShort((short) -3000).array();
        byte[] f32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(-0.25f).array();
        PcmChunk a = PcmChunk.of(44100, 2, SampleFormat.PCM_S16LE, s16, 1 << 20);
        PcmChunk b = PcmChunk.of(48000, 2, SampleFormat.F32LE, f32, 1 << 20);

        // then samples are in PCM16 units and mono is the channel mean
        assertArrayEquals(new float[]{1000, -3000}, a.samples());
        assertArrayEquals(new float[]{-1000}, a.mono());
        assertArrayEquals(new float[]{16384, -8192}, b.samples());
        assertArrayEquals(new float[]{4096}, b.mono());
        assertEquals(1, a.frames());
        assertEquals(1.0 / 48000, b.seconds(), 1e-12);
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        MediaFormatException e = assertThrows(MediaFormatException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
