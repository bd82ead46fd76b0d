package dev.weir.codec.compress;

/**
 * When a unit is a keyframe (every position sent, so a decoder that joins late or lost state resynchronises):
 * the first unit of a stream always; later ones on an interval and on a scene change, when the budget
 * affords a whole unit.
 *
 * @param interval         a keyframe at least every this many units; 0 = only the first and scene changes
 * @param sceneChangeShare a scene change is when at least this share of the positions changed, (0, 1];
 *                         above 1 never
 */
public record KeyframePolicy(int interval, double sceneChangeShare) {

    public KeyframePolicy {
        if (interval < 0) {
            throw new IllegalArgumentException("keyframeInterval must be ≥ 0 (0 = no periodic keyframes): " + interval);
        }
        if (!(sceneChangeShare > 0)) {
            throw new IllegalArgumentException("sceneChangeShare must be > 0 (above 1 disables): " + sceneChangeShare);
        }
    }

    /**
     * Whether this unit is a keyframe.
     *
     * @param first         the stream's first unit (or first on a new layout)
     * @param sinceKeyframe units since the last keyframe
     * @param changed       positions the cacher found changed, or -1 when the cacher does not measure change
     * @param positions     positions in the unit
     * @param affordable    whether the budget can pay for a whole unit now
     */
    public boolean isKeyframe(boolean first, int sinceKeyframe, int changed, int positions, boolean affordable) {
        if (first) {
            return true;
        }
        boolean due = interval > 0 && sinceKeyframe + 1 >= interval;
        boolean sceneChange = changed >= 0 && changed >= sceneChangeShare * positions;
        return (due || sceneChange) && affordable;
    }
}
