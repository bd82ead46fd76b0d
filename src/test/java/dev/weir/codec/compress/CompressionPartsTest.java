package dev.weir.codec.compress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compression parts every modality assembles, on their own. */
class CompressionPartsTest {

    @Test
    void topKKeepsTheHighestScoresAndBreaksTiesToTheLowerPosition() {
        // given candidates 2, 5, 7, 9 scored 0.5, 0.9, 0.5, 0.1
        int[] kept = TopK.highest(new int[] {2, 5, 7, 9}, new double[] {0.5, 0.9, 0.5, 0.1}, 2);

        // then the best and, of the two tied at 0.5, the lower position are kept, ascending
        assertArrayEquals(new int[] {2, 5}, kept);
        assertArrayEquals(new int[] {2, 5, 7, 9}, TopK.highest(new int[] {2, 5, 7, 9}, new double[4], 10));
    }

    @Test
    void theMostNovelPrunerMeasuresNoveltyOnlyWhenItMustChoose() {
        int[] candidates = {1, 4, 6};
        Novelty never = c -> {
            throw new AssertionError("novelty measured without a choice to make");
        };
        assertArrayEquals(candidates, Pruner.MOST_NOVEL.keep(candidates, never, 3, 0));
        assertArrayEquals(new int[] {4}, Pruner.MOST_NOVEL.keep(candidates, c -> new double[] {0.1, 0.8, 0.3}, 1, 0));
    }

    @Test
    void aRateBudgetBanksQuietUnitsAndChargesKeyframesToTheBank() {
        // given 100 tokens/s at 10 units/s, banking one second, for units of 40 tokens
        BudgetMeter meter = new BudgetMeter(new Budget.Rate(100, 10, 1));
        meter.start(40);

        // then a new stream starts with a full bank (one second, 100 tokens), which affords a keyframe
        assertEquals(100, meter.bank());
        assertTrue(meter.affords(40));
        meter.spend(40);
        // and each quiet unit adds 10 tokens, never beyond the cap
        for (int i = 0; i < 20; i++) {
            meter.refill(40);
        }
        assertEquals(100, meter.bank());
        // and a unit of 4-token positions may carry what the bank holds, 25 positions of 40
        assertEquals(25, meter.allowedPositions(40, 4));
        meter.spend(100);
        assertFalse(meter.affords(40));
    }

    @Test
    void aRatioBudgetCountsWholePositionsWithoutFloatingPointLoss() {
        assertEquals(29, new BudgetMeter(new Budget.Ratio(0.29)).allowedPositions(100, 1));
        assertEquals(3, new BudgetMeter(new Budget.PerUnit(7)).allowedPositions(100, 2));
        assertEquals(100, new BudgetMeter(new Budget.Unlimited()).allowedPositions(100, 2));
    }

    @Test
    void keyframesComeFirstOnTheIntervalAndOnSceneChangesWhenAffordable() {
        KeyframePolicy policy = new KeyframePolicy(10, 0.5);
        assertTrue(policy.isKeyframe(true, 0, 0, 100, false));
        assertTrue(policy.isKeyframe(false, 9, 0, 100, true));
        assertFalse(policy.isKeyframe(false, 8, 49, 100, true));
        assertTrue(policy.isKeyframe(false, 8, 50, 100, true));
        assertFalse(policy.isKeyframe(false, 9, 50, 100, false));
        assertFalse(policy.isKeyframe(false, 8, -1, 100, true)); // a cacher that does not measure change
    }

    @Test
    void theCachersFindTheChangedPositions() {
        long[] error = {100, 500, 90, 1000};
        int[] atSend = {90, 100, 90, 100};
        int[] samples = {10, 10, 10, 10};
        assertArrayEquals(new int[] {1, 3}, new Cacher.Threshold(24).changed(error, atSend, samples));
        assertArrayEquals(new int[] {3}, new Cacher.UpdateRatio(0.25).changed(error, atSend, samples));
        assertArrayEquals(new int[] {0, 1, 2, 3}, new Cacher.Off().changed(error, atSend, samples));
        assertEquals(new Cacher.Threshold(24), Cacher.parse("threshold:24"));
        assertThrows(IllegalArgumentException.class, () -> Cacher.parse("sometimes"));
        assertEquals(new Budget.Rate(900, 30, 2), Budget.parse("rate:900", 30, 2));
    }
}
