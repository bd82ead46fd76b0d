package dev.weir.cli;


import java.util.List;
import java.util.Locale;

/**
 * What {@code weir bench e2e} measured: per modality, throughput through the broker with exactly-once against
 * the codec alone on the same records in the same run, latency at a steady rate, and the bytes each unit costs
 * on the broker (input, tokens, decoded, and the changelogs of the per-stream snapshots).
 *
 * @param date              when it ran (ISO-8601)
 * @param cores             the processors the JVM saw
 * @param backend           the kernel backend asked for
 * @param commitIntervalMs  Kafka Streams' {@code commit.interval.ms}: a transaction's length, the floor of the latency
 * @param broker            where the broker ran
 * @param settings          settings given on top of the defaults ({@code -D})
 * @param modalities        one result per modality
 */
record EndToEndReport(String date, int cores, String backend, long commitIntervalMs, String broker, java.util.Map<String, String> settings,
                      List<Result> modalities) {

    /**
     * @param unit                 what one unit is
     * @param streams              streams, interleaved
     * @param units                units timed (per measurement, all streams)
     * @param codecAlonePerSecond  units a second through the codec alone: media check and decode, encode, decode (one thread)
     * @param endToEndPerSecond    units a second from the first produce to the last decoded output visible to read_committed
     * @param ratio                endToEnd / codecAlone: what Kafka, Avro, state stores and changelogs leave of the codec's speed
     * @param goal                 the ratio the project aims at (video at 640×480: 0.8), or null
     * @param codecCpuMsPerUnit    CPU time of the codec alone per unit (its thread)
     * @param codecAllocatedMbPerUnit megabytes the codec alone allocates on the heap per unit (its thread: the
     *                             media taken from the event, encoded and decoded; the Avro decoding not included)
     * @param cpuMsPerUnit        CPU time of this process per unit while the backlog went through, by group of
     *                             threads: {@code weir} (stream threads and their producers), {@code bench client}
     *                             (the benchmark's producer and consumer), {@code broker, other} (the broker when it
     *                             runs in this JVM) and the JVM's own (JIT, GC); a busy machine skews it far less
     *                             than it skews time
     * @param allocatedMbPerUnit   megabytes allocated on the heap per unit, by the same groups of Java threads (what
     *                             the JVM's garbage collection share comes from)
     * @param latency              produce to decoded output visible, at {@code latencyRatePerSecond}
     * @param bytesPerUnit         bytes on the broker per unit, by topic kind
     */
    record Result(String modality, String unit, int streams, int units, double codecAlonePerSecond, double endToEndPerSecond,
                  double ratio, Double goal, double codecCpuMsPerUnit, double codecAllocatedMbPerUnit, java.util.Map<String, Double> cpuMsPerUnit,
                  java.util.Map<String, Double> allocatedMbPerUnit, double latencyRatePerSecond, Percentiles latency,
                  Bytes bytesPerUnit) {

        boolean meetsGoal() {
            return goal == null || ratio >= goal;
        }

        /** CPU per unit of the whole process. */
        public double endToEndCpuMsPerUnit() {
            return cpuMsPerUnit.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** The codec's share of Weir's own CPU per unit: what is left for Kafka, Avro and the state stores is the rest. */
        public double codecShareOfWeirCpu() {
            return codecCpuMsPerUnit / cpuMsPerUnit.getOrDefault("weir", Double.NaN);
        }
    }

    /** Broker bytes per unit; {@code changelogs} is the encoder's and decoder's snapshots together. */
    record Bytes(double input, double tokens, double decoded, double changelogs) {

        /** The changelogs' share of what Weir writes (tokens, decoded, changelogs). */
        double changelogShare() {
            return changelogs / (tokens + decoded + changelogs);
        }
    }

    String toTable() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "weir bench e2e  %s  %d cores  backend %s  commit.interval.ms %d  broker %s%n",
                date, cores, backend, commitIntervalMs, broker));
        if (!settings.isEmpty()) {
            out.append("settings ").append(settings).append(System.lineSeparator());
        }
        out.append(String.format(Locale.ROOT, "%-6s %8s %10s %10s %6s %5s %9s %9s %9s %9s %9s %10s %10s %10s %9s%n", "", "units",
                "codec/s", "e2e/s", "ratio", "goal", "codec cpu", "e2e cpu", "lat.rate", "p50 ms", "p99 ms", "tokens B", "decoded B", "changelog B", "chg share"));
        for (Result r : modalities) {
            out.append(String.format(Locale.ROOT, "%-6s %8d %10.1f %10.1f %6.2f %5s %6.2f ms %6.2f ms %9.1f %9.1f %9.1f %10.0f %10.0f %10.0f %8.1f%%%n",
                    r.modality(), r.units(), r.codecAlonePerSecond(), r.endToEndPerSecond(), r.ratio(),
                    r.goal() == null ? "-" : (r.meetsGoal() ? "met" : "MISS"), r.codecCpuMsPerUnit(), r.endToEndCpuMsPerUnit(),
                    r.latencyRatePerSecond(),
                    r.latency().p50Ms(), r.latency().p99Ms(), r.bytesPerUnit().tokens(), r.bytesPerUnit().decoded(),
                    r.bytesPerUnit().changelogs(), 100 * r.bytesPerUnit().changelogShare()));
        }
        for (Result r : modalities) {
            out.append(String.format(Locale.ROOT, "%s: %d streams of %s; CPU ms per unit end to end:", r.modality(), r.streams(), r.unit()));
            r.cpuMsPerUnit().forEach((group, ms) -> out.append(String.format(Locale.ROOT, " %s %.2f,", group, ms)));
            out.setLength(out.length() - 1);
            out.append(String.format(Locale.ROOT, "; the codec is %.0f%% of weir's; MB allocated per unit: codec alone %.2f;",
                    100 * r.codecShareOfWeirCpu(), r.codecAllocatedMbPerUnit()));
            r.allocatedMbPerUnit().forEach((group, mb) -> out.append(String.format(Locale.ROOT, " %s %.2f,", group, mb)));
            out.setLength(out.length() - 1);
            out.append(System.lineSeparator());
        }
        return out.toString();
    }
}
