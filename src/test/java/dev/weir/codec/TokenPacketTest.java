package dev.weir.codec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class TokenPacketTest {

    @Test
    void packetsWithTheSameTokensAreEqualHoweverLongTheyTookToEncode() {
        TokenPacket fast = new TokenPacket(3, false, 4, 1, new int[] {1}, new int[] {7}, new int[] {0, 2, 3}, 0, 1, 1_000);
        TokenPacket slow = new TokenPacket(3, false, 4, 1, new int[] {1}, new int[] {7}, new int[] {0, 2, 3}, 0, 1, 9_000_000);
        TokenPacket other = new TokenPacket(3, false, 4, 1, new int[] {1}, new int[] {8}, new int[] {0, 2, 3}, 0, 1, 1_000);

        assertEquals(fast, slow);
        assertEquals(fast.hashCode(), slow.hashCode());
        assertNotEquals(fast, other);
    }
}
