package dev.weir.cli;

import java.util.Set;

/**
 * How loud the command line is: the commands that run until stopped ({@code run}, {@code inspect}, {@code stack}, {@code demo})
 * log Weir's INFO lines, as a service does; the one-shot commands ({@code topics}, {@code produce},
 * {@code consume}, {@code eval}, {@code train-codebook}, {@code bench}) print their results and nothing else
 * unless something is wrong (WARN). {@code WEIR_LOG_LEVEL} overrides both (log4j2.xml reads it first).
 */
final class LogLevels {

    /** The system property log4j2.xml reads for Weir's level when {@code WEIR_LOG_LEVEL} is not set. */
    static final String PROPERTY = "weir.log.level";
    static final Set<String> LONG_RUNNING = Set.of("run", "inspect", "stack", "demo");

    private LogLevels() {
    }

    /** Sets the level for the command {@code args} name; call before anything logs (log4j reads it once). */
    static void chooseFor(String[] args) {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, levelFor(args));
        }
    }

    /** INFO for a long-running command, WARN for the others. */
    static String levelFor(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return LONG_RUNNING.contains(arg) ? "INFO" : "WARN";
            }
        }
        return "WARN";
    }
}
