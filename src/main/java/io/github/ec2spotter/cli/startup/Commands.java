package io.github.ec2spotter.cli.startup;

import io.github.ec2spotter.cli.BaseCommand;
import io.github.ec2spotter.cli.CompletionCommand;
import io.github.ec2spotter.cli.Ec2SpotterCommand;
import io.github.ec2spotter.cli.ExitCodes;
import io.github.ec2spotter.cli.LaunchCommand;
import io.github.ec2spotter.cli.LogsCommand;
import io.github.ec2spotter.cli.PricesCommand;
import io.github.ec2spotter.cli.StatusCommand;
import io.github.ec2spotter.cli.StopCommand;
import io.github.ec2spotter.cli.UserDataCommand;
import io.github.ec2spotter.training.TrainCacheCommand;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParseResult;
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
            new Subcommand("launch", () -> LaunchCommand.class, false),
            new Subcommand("status", () -> StatusCommand.class, false),
            new Subcommand("logs", () -> LogsCommand.class, false),
            new Subcommand("stop", () -> StopCommand.class, false),
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
            if (verbose(parsed)) {
                Verbosity.enable();
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        // Plain help everywhere: the help pages are rendered at build time (HelpPages) and must
        // read the same on a terminal as in a pipe. Set last: it reaches only the subcommands
        // already added.
        return commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
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
