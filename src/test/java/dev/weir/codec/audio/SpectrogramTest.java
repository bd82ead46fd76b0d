package dev.weir.codec.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.weir.codec.video.RgbFrame;

class SpectrogramTest {

    @Test
    void aToneIsABrightLineAtItsFrequencyWithLowFrequenciesAtTheBottom() {
        // given one second of a 1 kHz tone at 16 kHz
        int rate = 16_000;
        float[] tone = new float[rate];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (8_000 * Math.sin(2 * Math.PI * 1_000 * i / rate));
        }

        // when its spectrogram (512-sample windows every 10 ms) is drawn
        RgbFrame picture = Spectrogram.of(tone, rate, 512, 160, 80).picture();

        // then there is a column per frame and a row per bin, and in every column the row of bin
        // 1000 / (16000 / 512) = 32, counted from the bottom, is as bright as any (the palette saturates near the top
        // of its range, so a neighbour may tie) and far brighter than bins away from the tone, above or below
        assertEquals(1 + (rate - 512) / 160, picture.width());
        assertEquals(257, picture.height());
        for (int x = 0; x < picture.width(); x++) {
            int toneRow = 256 - 32;
            int brightest = 0;
            for (int y = 0; y < picture.height(); y++) {
                brightest = Math.max(brightest, brightness(picture, x, y));
            }
            assertEquals(brightest, brightness(picture, x, toneRow), "column " + x);
            assertTrue(brightness(picture, x, 256 - 8) < brightest / 2, "column " + x + ", 250 Hz");
            assertTrue(brightness(picture, x, 256 - 128) < brightest / 2, "column " + x + ", 4 kHz");
        }
    }

    private static int brightness(RgbFrame picture, int x, int y) {
        int i = 3 * (y * picture.width() + x);
        return (picture.rgb()[i] & 0xff) + (picture.rgb()[i + 1] & 0xff); // red and green rise with the level; blue does not
    }
}
