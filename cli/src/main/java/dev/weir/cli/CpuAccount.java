package dev.weir.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * CPU time of this process between two moments, by group of threads: Java threads by their names (through
 * {@link ThreadMXBean}), and the JVM's own work (JIT compilers, garbage collector) as the rest of the process's
 * CPU time; and the heap each group allocated, which is what the garbage collector's share comes from. A busy machine stretches wall-clock time, but not much the CPU time a unit of work takes, so this is
 * the measure to read when other work shares the cores.
 */
final class CpuAccount {

    /** The group of the JVM's own threads (compilers, GC), which are not Java threads. */
    static final String JVM = "jvm (JIT, GC)";

    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /**
     * CPU nanoseconds of the process and of each live Java thread (id → name, nanos), and the bytes each has
     * allocated on the heap (id → bytes), at one moment.
     */
    record Snapshot(long processNanos, Map<Long, Map.Entry<String, Long>> threads, Map<Long, Long> allocated) {

        static Snapshot now() {
            Map<Long, Map.Entry<String, Long>> threads = new HashMap<>();
            Map<Long, Long> allocated = new HashMap<>();
            for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
                if (info != null) {
                    long nanos = THREADS.getThreadCpuTime(info.getThreadId());
                    if (nanos >= 0) {
                        threads.put(info.getThreadId(), Map.entry(info.getThreadName(), nanos));
                    }
                    long bytes = THREADS.getThreadAllocatedBytes(info.getThreadId());
                    if (bytes >= 0) {
                        allocated.put(info.getThreadId(), bytes);
                    }
                }
            }
            return new Snapshot(PROCESS.getProcessCpuTime(), threads, allocated);
        }
    }

    private CpuAccount() {
    }

    /** CPU nanoseconds of the calling thread so far. */
    static long currentThreadNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** Bytes the calling thread has allocated on the heap so far. */
    static long currentThreadAllocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /**
     * Milliseconds of CPU per unit from {@code start} to {@code end}, by the group {@code groupOf} gives each Java
     * thread's name, plus {@link #JVM}; in the order the groups were first met, {@code JVM} last.
     */
    static Map<String, Double> msPerUnit(Snapshot start, Snapshot end, int units, Function<String, String> groupOf) {
        Map<String, Double> ms = new LinkedHashMap<>();
        long javaNanos = 0;
        for (var e : end.threads().entrySet()) {
            Map.Entry<String, Long> before = start.threads().get(e.getKey());
            long nanos = e.getValue().getValue() - (before == null ? 0 : before.getValue());
            javaNanos += nanos;
            ms.merge(groupOf.apply(e.getValue().getKey()), nanos / 1e6 / units, Double::sum);
        }
        // threads that ended in between are in the process's time only, so they count as the JVM's
        ms.put(JVM, Math.max(0, end.processNanos() - start.processNanos() - javaNanos) / 1e6 / units);
        return ms;
    }

    /**
     * Megabytes (10^6 bytes) allocated on the heap per unit from {@code start} to {@code end}, by the same groups
     * of Java threads (the JVM's own threads allocate no Java objects; threads that ended in between are not
     * counted), in the order the groups were first met.
     */
    static Map<String, Double> allocatedMbPerUnit(Snapshot start, Snapshot end, int units, Function<String, String> groupOf) {
        Map<String, Double> mb = new LinkedHashMap<>();
        for (var e : end.allocated().entrySet()) {
            Map.Entry<String, Long> thread = end.threads().get(e.getKey());
            if (thread != null) {
                long bytes = e.getValue() - start.allocated().getOrDefault(e.getKey(), 0L);
                mb.merge(groupOf.apply(thread.getKey()), bytes / 1e6 / units, Double::sum);
            }
        }
        return mb;
    }
}
