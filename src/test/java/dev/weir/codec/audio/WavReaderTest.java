package dev.weir.codec.audio;

import dev.weir.codec.MediaFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WAV input: PCM16 and float, mono and stereo; bad files get a clear error. */
class WavReaderTest {

    @Test
    void readsTheBundledSpeech() {
        // when the bundled LibriVox excerpt is read
        PcmChunk speech = TestAudio.speech();

        // then it is 2.99 s of 16 kHz mono PCM16
        assertEquals(16000, speech.sampleRate());
        assertEquals(1, speech.channels());
        assertEquals(SampleFormat.PCM_S16LE, speech.format());
        assertEquals(47840, speech.frames());
    }

    @Test
    void floatAndStereoFilesRoundTrip(@TempDir Path dir) throws Exception {
        // given a stereo F32LE chunk and a mono PCM16 chunk written as WAV files
        float[] left = {1000, -2000, 3000};
        float[] right = {0, 500, -500};
        PcmChunk stereo = TestAudio.stereoF32(22050, left, right);
        PcmChunk mono = PcmChunk.mono16(8000, new short[]{1, -2, 3, 32767, -32768});
        WavReader.write(dir.resolve("s.wav"), stereo);
        WavReader.write(dir.resolve("m.wav"), mono);

        // when they are read back, then they are the same chunks
        assertEquals(stereo, WavReader.read(dir.resolve("s.wav")));
        assertEquals(mono, WavReader.read(dir.resolve("m.wav")));
        assertArrayEquals(new float[]{500, -750, 1250}, WavReader.read(dir.resolve("s.wav")).mono());
    }

    @Test
    void badFilesAreRefusedWithTheReason(@TempDir Path dir) throws Exception {
        byte[] good = Files.readAllBytes(TestAudio.SPEECH);
        assertReason("not a WAV file", Arrays.copyOf("hello world, not audio".getBytes(), 22));
        byte[] noData = Arrays.copyOf(good, 40);
        assertReason("no data chunk", noData);
        byte[] pcm24 = good.clone();
        ByteBuffer.wrap(pcm24).order(ByteOrder.LITTLE_ENDIAN).putShort(34, (short) 24);
        assertReason("24 bits is not supported", pcm24);
        byte[] badRate = good.clone();
        ByteBuffer.wrap(badRate).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 96000);
        assertReason("outside 8000..48000", badRate);
        // and a file's name is in the message
        Path file = dir.resolve("broken.wav");
        Files.write(file, noData);
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> WavReader.read(file));
        assertTrue(e.getMessage().contains("broken.wav"), e.getMessage());
    }

    private static void assertReason(String expected, byte[] bytes) {
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> WavReader.parse(bytes));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
