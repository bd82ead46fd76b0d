package dev.weir.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code weir} command line: see README.md. */
@Command(name = "weir", mixinStandardHelpOptions = true, versionProvider = WeirCommand.Version.class,
        description = "Tokenize, compress and decode live video on Kafka Streams.",
        subcommands = {
                DemoCommand.class,
                StackCommand.class,
                RunCommand.class,
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

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new WeirCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
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
