package dev.weir.codec;

/**
 * Where long offline work stands (an evaluation of a long clip), for a command line to show on a terminal.
 * Called on the working thread; an implementation must be quick.
 */
@FunctionalInterface
public interface Progress {

    /** Reports nothing. */
    Progress NONE = (phase, done, total) -> { };

    /**
     * {@code done} of {@code total} units of {@code phase} are finished; {@code total} ≤ 0 when it is not known
     * yet (frames still being read).
     */
    void update(String phase, long done, long total);
}
