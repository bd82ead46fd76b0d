package dev.weir.codec.video;

import dev.weir.codec.MediaFormatException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoTokenLayoutTest {

    @Test
    void stage0TokenRoundTripsEveryDcCodeAndShapeBoundary() {
        // given the default layout: 6 DC bits per channel, K0 = 1024, one residual stage of 256
        VideoTokenLayout layout = new VideoTokenLayout(6, new int[]{1024, 256});

        // then the packed widths are 3·6 + 10 = 28 bits for stage 0 and 8 for stage 1
        assertEquals(28, layout.tokenBits(0));
        assertEquals(8, layout.tokenBits(1));
        assertEquals(36, layout.bitsPerPatch());

        // when every DC code combination is packed with the smallest and largest shape index
        for (int r = 0; r < 64; r++) {
            for (int g = 0; g < 64; g++) {
                for (int b = 0; b < 64; b += 7) {
                    for (int shape : new int[]{0, 511, 1023}) {
                        int token = layout.stage0Token(r, g, b, shape);
                        // then the token is non-negative, fits 28 bits, and unpacks to the same parts
                        assertTrue(token >= 0 && token < (1 << 28));
                        assertEquals(r, layout.dcCode(token, 0));
                        assertEquals(g, layout.dcCode(token, 1));
                        assertEquals(b, layout.dcCode(token, 2));
                        assertEquals(shape, layout.shape(token));
                    }
                }
            }
        }
        // and the bit positions are the documented ones: R highest, then G, B, shape
        assertEquals((5 << 22) | (6 << 16) | (7 << 10) | 9, layout.stage0Token(5, 6, 7, 9));
    }

    @Test
    void checkRejectsTokensTheLayoutCannotProduce() {
        // given a layout whose stage-0 codebook (1000) is not a power of two, and a residual stage of 256
        VideoTokenLayout layout = new VideoTokenLayout(6, new int[]{1000, 256});

        // then shape 999 is accepted, shape 1000..1023 (representable in 10 bits) and wider tokens are not
        layout.check(0, layout.stage0Token(63, 63, 63, 999));
        assertThrows(MediaFormatException.class, () -> layout.check(0, layout.stage0Token(0, 0, 0, 1000)));
        assertThrows(MediaFormatException.class, () -> layout.check(0, 1 << 28));
        assertThrows(MediaFormatException.class, () -> layout.check(0, -1));
        layout.check(1, 255);
        assertThrows(MediaFormatException.class, () -> layout.check(1, 256));
    }

    @Test
    void refusesLayoutsWiderThanANonNegativeInt() {
        // given 8 DC bits per channel (24 bits) and K0 = 2^8 fits (32 bits would not)
        assertEquals(31, new VideoTokenLayout(8, new int[]{128}).tokenBits(0));
        // then one more shape bit is refused
        assertThrows(IllegalArgumentException.class, () -> new VideoTokenLayout(8, new int[]{256}));
    }
}
