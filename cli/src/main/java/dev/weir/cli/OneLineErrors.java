package dev.weir.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;

/**
 * How a command that failed ends: one line on stderr, {@code weir <command>: <what went wrong>}, and exit
 * status 1. The Java stack trace follows only with {@code --verbose} (or {@code WEIR_VERBOSE=1}), for a
 * user's mistake (a missing file, an unreachable broker, OpenCL asked for but absent) is not a crash.
 */
final class OneLineErrors implements IExecutionExceptionHandler {

    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + describe(e));
        if (verbose(parsed)) {
            e.printStackTrace(err);
        }
        err.flush();
        return FAILED;
    }

    /** The message of {@code e} and of the causes that add to it, without repeating one. */
    static String describe(Throwable e) {
        StringBuilder out = new StringBuilder();
        Set<String> said = new HashSet<>();
        for (Throwable t = e; t != null && said.size() < 4; t = t.getCause()) {
            String message = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
            if (said.stream().anyMatch(m -> m.contains(message))) {
                continue;
            }
            if (!said.isEmpty()) {
                out.append(": ");
            }
            out.append(isUnexpected(t) && t == e ? t.getClass().getSimpleName() + ": " + message : message);
            said.add(message);
        }
        return out.toString().replace('\n', ' ');
    }

    /** Errors that are a program's fault rather than the user's: worth a stack trace when reported. */
    static boolean isUnexpected(Throwable e) {
        return e instanceof NullPointerException || e instanceof IllegalStateException && !(e instanceof java.util.concurrent.CancellationException)
                || e instanceof ClassCastException || e instanceof IndexOutOfBoundsException || e instanceof Error;
    }

    private static boolean verbose(ParseResult parsed) {
        String env = System.getenv("WEIR_VERBOSE");
        if (env != null && !env.isBlank() && !env.equals("0") && !env.equalsIgnoreCase("false")) {
            return true;
        }
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
