package io.github.ec2spotter.cli.startup;

import io.github.ec2spotter.cli.BaseCommand;
import io.github.ec2spotter.cli.CleanupCommand;
import io.github.ec2spotter.cli.CompletionCommand;
import io.github.ec2spotter.cli.Ec2SpotterCommand;
import io.github.ec2spotter.cli.ExitCodes;
import io.github.ec2spotter.cli.LaunchCommand;
import io.github.ec2spotter.cli.LogsCommand;
import io.github.ec2spotter.cli.PricesCommand;
import io.github.ec2spotter.cli.SetupCommand;
import io.github.ec2spotter.cli.SnapshotCommand;
import io.github.ec2spotter.cli.SshCommand;
import io.github.ec2spotter.cli.StatusCommand;
import io.github.ec2spotter.cli.StopCommand;
import io.github.ec2spotter.cli.UserDataCommand;
import io.github.ec2spotter.training.TrainCacheCommand;
import io.github.ec2spotter.text.Printable;
import io.github.ec2spotter.text.Spelling;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * Builds the picocli command line. picocli builds a command's model by reflection when the command
 * is added, work wasted on the commands a run does not use; so a run that names its subcommand
 * gets only that one. Help, completion and anything unrecognised get the whole tree: they list or
 * suggest the other commands.
 */
public final class Commands {
    /** The subcommands in the order {@code --help} lists them; each name is its {@code @Command} name. */
    static final List<Subcommand> ALL = List.of(
            new Subcommand("setup", () -> SetupCommand.class, false),
            new Subcommand("launch", () -> LaunchCommand.class, false),
            new Subcommand("status", () -> StatusCommand.class, false),
            new Subcommand("logs", () -> LogsCommand.class, false),
            new Subcommand("stop", () -> StopCommand.class, false),
            new Subcommand("ssh", () -> SshCommand.class, false),
            new Subcommand("snapshot", () -> SnapshotCommand.class, false),
            new Subcommand("cleanup", () -> CleanupCommand.class, false),
            new Subcommand("prices", () -> PricesCommand.class, false),
            new Subcommand("user-data", () -> UserDataCommand.class, false),
            new Subcommand("completion", () -> CompletionCommand.class, true),
            new Subcommand("help", () -> HelpCommand.class, true),
            new Subcommand("train-cache", () -> TrainCacheCommand.class, false));

    /** {@code type} is a supplier so that listing a command here does not load its class. */
    record Subcommand(String name, Supplier<Class<?>> type, boolean readsWholeTree) {
    }

    private Commands() {
    }

    /** The command line for {@code args}, its commands made by {@code factory}. */
    public static CommandLine forArgs(IFactory factory, String... args) {
        String first = args.length == 0 ? "" : args[0];
        List<Subcommand> needed = ALL.stream()
                .filter(s -> s.name().equals(first) && !s.readsWholeTree())
                .toList();
        return build(factory, needed.isEmpty() ? ALL : needed);
    }

    /** The command line with every subcommand, as {@code --help} shows it. */
    public static CommandLine all(IFactory factory) {
        return build(factory, ALL);
    }

    /**
     * Runs one command line as {@code Main} does, without printing a help page (only its exit
     * code counts), with every command reading {@code env} as its environment.
     */
    static int run(Map<String, String> env, String... args) {
        IFactory factory = new IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K command = CommandLine.defaultFactory().create(type);
                if (command instanceof BaseCommand ec2spotterCommand) {
                    ec2spotterCommand.useEnvironment(env);
                }
                return command;
            }
        };
        return HelpPages.forArgs(args).isPresent() ? ExitCodes.OK : forArgs(factory, args).execute(args);
    }

    private static CommandLine build(IFactory factory, List<Subcommand> subcommands) {
        CommandLine commandLine = new CommandLine(new Ec2SpotterCommand(), factory);
        for (Subcommand s : subcommands) {
            // The training runs command lines itself; it gets the way to run them from here.
            commandLine.addSubcommand(s.name().equals("train-cache") ? new TrainCacheCommand(Commands::run) : s.type().get());
        }
        // -v's log levels are set before the command runs, so its first EC2 call is logged.
        commandLine.setExecutionStrategy(parsed -> {
            // picocli lets --help pass over an unknown word: "lauch --help" would print the top page, exit 0.
            if (!parsed.unmatched().isEmpty() && parsed.subcommand() == null) {
                throw new UnmatchedArgumentException(parsed.commandSpec().commandLine(), parsed.unmatched());
            }
            if (verbose(parsed)) {
                Verbosity.enable();
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        // -V on a subcommand prints the same version as on ec2spotter itself (mixinStandardHelpOptions
        // gives each one the option, but only ec2spotter has a version to print).
        String[] version = Ec2SpotterCommand.versionLines();
        commandLine.getSubcommands().values().forEach(sub -> sub.getCommandSpec().version(version));
        // Plain help everywhere: the help pages are rendered at build time (HelpPages) and must
        // read the same on a terminal as in a pipe. Set last: these reach only the subcommands
        // already added.
        commandLine.setParameterExceptionHandler(Commands::usageError);
        // --output=JSON and --output=Table mean what they say.
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
    }

    /**
     * A usage error: the error, what was probably meant, and one line pointing at {@code --help}.
     * The whole help page (40 lines on stderr) would bury the one line that matters.
     */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine where = e.getCommandLine();
        PrintWriter err = where.getErr();
        boolean top = where.getParent() == null;
        List<String> unmatched = e instanceof UnmatchedArgumentException u ? u.getUnmatched() : List.of();
        String first = unmatched.isEmpty() ? "" : unmatched.get(0);
        if (top && (first.equals("-v") || first.equals("--verbose"))) {
            err.println("error: " + first + " goes after the command: ec2spotter COMMAND " + first + " ...");
        } else if (top && !first.isEmpty() && !first.startsWith("-")) {
            List<String> names = ALL.stream().map(Subcommand::name).filter(n -> !n.equals("train-cache")).toList();
            err.println("error: '" + Printable.of(first) + "' is not an ec2spotter command"
                    + Spelling.closest(first, names).map(n -> "; did you mean " + n + "?").orElse("")
                    + " (commands: " + String.join(", ", names) + ")");
        } else {
            // picocli's conversion errors speak Java ("'ten' is not a long"); a user typed a number.
            err.println("error: " + Printable.of(e.getMessage()).replaceAll("is not an? (long|int|integer)\\b",
                    "is not a whole number"));
            if (first.startsWith("-")) {
                List<String> options = where.getCommandSpec().optionsMap().keySet().stream()
                        .filter(o -> o.startsWith("--")).toList();
                Spelling.closest(first.split("=", 2)[0], options).ifPresent(o -> err.println("did you mean " + o + "?"));
            }
        }
        err.println("Run '" + where.getCommandSpec().qualifiedName() + " --help' for its usage.");
        err.flush();
        return ExitCodes.USAGE;
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("-v")) {
                return true;
            }
        }
        return false;
    }
}
