package dev.weir.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code weir} command line: see README.md. */
@Command(name = "weir", mixinStandardHelpOptions = true, versionProvider = WeirCommand.Version.class,
        description = "Tokenize, compress and decode live video on Kafka Streams.",
        subcommands = {
                DemoCommand.class,
                StackCommand.class,
                RunCommand.class,
                InspectCommand.class,
                TopicsCommand.class,
                ProduceCommand.class,
                ConsumeCommand.class,
                EvalCommand.class,
                TrainCodebookCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class WeirCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "On an error, print the Java stack trace as well as the one-line message (also: WEIR_VERBOSE=1).")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        LogLevels.chooseFor(args);
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line as {@code main} runs it: errors are one line on stderr and a non-zero exit (1 for a
     * failure, 2 for a command line picocli cannot parse).
     */
    public static CommandLine commandLine() {
        return new CommandLine(new WeirCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new OneLineErrors())
                .setParameterExceptionHandler(new OneLineErrors.Usage());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = WeirCommand.class.getPackage().getImplementationVersion();
            return new String[] {"weir " + (version == null ? "dev" : version) + " (Kafka Streams "
                    + org.apache.kafka.common.utils.AppInfoParser.getVersion() + ", Java " + Runtime.version() + ")"};
        }
    }
}
