package dev.weir.inspector.internals;

/**
 * A waveform drawn in {@code columns} columns over {@code [start, end)} seconds: each column's lowest and highest
 * sample (0, 0 where the track holds nothing), rounded to 1/1000.
 *
 * @param start seconds of stream time at the left edge
 * @param end   seconds at the right edge
 * @param min   per column, the lowest sample
 * @param max   per column, the highest sample
 */
public record Waveform(double start, double end, float[] min, float[] max) {

    /** The envelope of {@code track} over {@code [start, end)}, or null when the track is empty. */
    public static Waveform of(AudioTrack track, double start, double end, int columns) {
        if (track.isEmpty() || end <= start || columns < 1) {
            return null;
        }
        float[] min = new float[columns];
        float[] max = new float[columns];
        boolean[] any = new boolean[columns];
        double perColumn = (end - start) / columns;
        int rate = track.rate();
        for (AudioTrack.Segment s : track.segments()) {
            float[] x = s.samples();
            for (int i = 0; i < x.length; i++) {
                double t = (double) (s.start() + i) / rate;
                int c = (int) ((t - start) / perColumn);
                if (c < 0 || c >= columns) {
                    continue;
                }
                if (!any[c]) {
                    min[c] = max[c] = x[i];
                    any[c] = true;
                } else {
                    min[c] = Math.min(min[c], x[i]);
                    max[c] = Math.max(max[c], x[i]);
                }
            }
        }
        for (int c = 0; c < columns; c++) {
            min[c] = Math.round(min[c] * 1000) / 1000f;
            max[c] = Math.round(max[c] * 1000) / 1000f;
        }
        return new Waveform(start, end, min, max);
    }
}
