package dev.weir.cli;

import dev.weir.codec.Progress;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A progress line for long work ({@code eval} of a long clip, {@code produce}, {@code train-codebook}), rewritten
 * in place on stderr a few times a second and erased when the work is done, so that what the command prints
 * stays clean. Only when stderr is a terminal: in a pipe, a log file or a test's captured output it prints
 * nothing.
 */
final class TerminalProgress implements Progress, AutoCloseable {

    private static final long INTERVAL_NANOS = 250_000_000L;

    private final String command;
    private final PrintStream out;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private long lastNanos;
    private int lastWidth;

    TerminalProgress(String command, PrintStream out, boolean enabled) {
        this.command = command;
        this.out = out;
        this.enabled = enabled;
    }

    /** A progress line for {@code command} on stderr, shown only when the process runs on a terminal. */
    static TerminalProgress of(String command) {
        return new TerminalProgress(command, System.err, onTerminal());
    }

    /** Whether this process's console is an interactive terminal (not a pipe or a file). */
    static boolean onTerminal() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    @Override
    public synchronized void update(String phase, long done, long total) {
        long now = System.nanoTime();
        if (!enabled || now - lastNanos < INTERVAL_NANOS && done != total) {
            return;
        }
        lastNanos = now;
        double seconds = (now - started) / 1e9;
        String count = total > 0 ? String.format(Locale.ROOT, "%d/%d (%.0f%%)", done, total, 100.0 * done / total)
                : done >= 0 ? Long.toString(done) : "";
        show(String.format(Locale.ROOT, "%s: %s %s  %.0f s", command, phase, count, seconds).replace("  ", " "));
    }

    /** Runs {@code work}, showing {@code phase} and the seconds it has taken so far, once a second. */
    <T> T whileWorking(String phase, Callable<T> work) throws Exception {
        if (!enabled) {
            return work.call();
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
        ticker.scheduleAtFixedRate(() -> update(phase, -1, 0), 0, 1, TimeUnit.SECONDS);
        try {
            return work.call();
        } finally {
            ticker.shutdownNow();
        }
    }

    private void show(String line) {
        out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        out.flush();
        lastWidth = line.length();
    }

    /** Erases the line. */
    @Override
    public synchronized void close() {
        if (enabled && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            out.flush();
            lastWidth = 0;
        }
    }
}
