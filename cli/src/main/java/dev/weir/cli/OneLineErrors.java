package dev.weir.cli;

import dev.weir.topology.Secrets;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.HashSet;
import java.util.Set;

/**
 * How a command that failed ends: one line on stderr, {@code weir <command>: <what went wrong>}, and exit
 * status 1. The Java stack trace follows only with {@code --verbose} (or {@code WEIR_VERBOSE=1}), for a
 * user's mistake (a missing file, an unreachable broker, OpenCL asked for but absent) is not a crash. A URL's
 * credentials never reach the line ({@link Secrets#withoutUserInfo}).
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

    /**
     * A command line picocli cannot parse (a missing option, a value of the wrong type): one line and where to
     * read more, rather than the whole usage; exit status 2.
     */
    static final class Usage implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException e, String[] args) {
            CommandLine command = e.getCommandLine();
            String name = command.getCommandSpec().qualifiedName();
            PrintWriter err = command.getErr();
            err.println(name + ": " + Secrets.withoutUserInfo(String.valueOf(e.getMessage()).replace('\n', ' ')) + " (see " + name + " --help)");
            err.flush();
            return command.getCommandSpec().exitCodeOnInvalidInput();
        }
    }

    /** The message of {@code e} and of the causes that add to it, without repeating one. */
    static String describe(Throwable e) {
        return Secrets.withoutUserInfo(messages(e));
    }

    private static String messages(Throwable e) {
        StringBuilder out = new StringBuilder();
        Set<String> said = new HashSet<>();
        for (Throwable t = e; t != null && said.size() < 4; t = t.getCause()) {
            if (t instanceof NumberFormatException && t != e) {
                continue; // "For input string: ..." repeats what the setting's message said
            }
            String message = messageOf(t);
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

    private static String messageOf(Throwable t) {
        String file = fileProblem(t);
        if (file != null) {
            return file;
        }
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** A file-system error as words: the JDK's message of a missing file is only its path. */
    private static String fileProblem(Throwable t) {
        if (!(t instanceof FileSystemException f) || f.getFile() == null) {
            return null;
        }
        String what = switch (f) {
            case NoSuchFileException n -> "no such file or directory";
            case AccessDeniedException a -> "permission denied";
            default -> f.getReason() == null ? f.getClass().getSimpleName() : f.getReason();
        };
        return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + what;
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
