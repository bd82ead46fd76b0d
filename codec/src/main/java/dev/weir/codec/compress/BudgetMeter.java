package dev.weir.codec.compress;

/**
 * A {@link Budget} applied to one stream, unit after unit: for a {@link Budget.Rate} it keeps the bank
 * (its balance is part of the encoder's state: {@link #bank()} and {@link #restore}).
 */
public final class BudgetMeter {

    /** Slack for share × n in double, so 0.29 × 100 counts as 29, not 28.999999999999996. */
    private static final double ROUNDING = 1e-9;

    private final Budget budget;
    private double bank;
    private double capacity;

    public BudgetMeter(Budget budget) {
        this.budget = budget;
    }

    public Budget budget() {
        return budget;
    }

    /** A stream starts (or restarts on a new layout) whose units carry at most {@code unitTokens}: the bank is full. */
    public void start(long unitTokens) {
        capacity = budget instanceof Budget.Rate rate ? cap(rate, unitTokens) : Double.POSITIVE_INFINITY;
        bank = budget instanceof Budget.Rate ? capacity : 0;
    }

    /** The bank's cap since {@link #start}: bankSeconds of rate, never less than one unit; infinite but for a rate. */
    public double capacity() {
        return capacity;
    }

    /** Before every unit after the first: the rate's share of one unit flows into the bank, up to its cap. */
    public void refill(long unitTokens) {
        if (budget instanceof Budget.Rate rate) {
            bank = Math.min(cap(rate, unitTokens), bank + rate.tokensPerSecond() / rate.unitsPerSecond());
        }
    }

    /** Whether a unit of {@code tokens} (a keyframe) can be paid for now; always true but for a rate. */
    public boolean affords(long tokens) {
        return !(budget instanceof Budget.Rate) || bank >= tokens;
    }

    /** How many of {@code positions} a non-keyframe unit may carry at {@code tokensPerPosition} tokens each. */
    public int allowedPositions(int positions, int tokensPerPosition) {
        return switch (budget) {
            case Budget.Unlimited u -> positions;
            case Budget.PerUnit perUnit -> Math.min(positions, perUnit.tokens() / tokensPerPosition);
            case Budget.Ratio ratio -> (int) Math.min(positions, Math.floor(ratio.ratio() * positions + ROUNDING));
            case Budget.Rate rate -> (int) Math.min(positions, Math.floor(Math.max(0, bank) / tokensPerPosition));
        };
    }

    /** After a unit: what it carried is paid from the bank (rates only). */
    public void spend(long tokens) {
        if (budget instanceof Budget.Rate) {
            bank -= tokens;
        }
    }

    /** The bank's balance in tokens (0 but for a rate). */
    public double bank() {
        return bank;
    }

    /** Sets the bank's balance, from a snapshot. */
    public void restore(double balance) {
        bank = balance;
    }

    /** The bank's cap in tokens: bankSeconds of rate, never less than one keyframe. */
    private static double cap(Budget.Rate rate, long unitTokens) {
        return Math.max(rate.tokensPerSecond() * rate.bankSeconds(), (double) unitTokens);
    }
}
