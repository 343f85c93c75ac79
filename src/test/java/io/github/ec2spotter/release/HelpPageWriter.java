package io.github.ec2spotter.release;

import io.github.ec2spotter.cli.startup.Commands;
import io.github.ec2spotter.cli.startup.HelpPages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * Build-only, so it lives with the tests and never ships in the jar: Maven's
 * {@code process-test-classes} phase runs {@link #main}, before any test or the jar reads the pages.
 * Renders, with picocli, the help pages {@link HelpPages} prints. A command gets a page when both
 * {@code -h} and {@code --help} show its usage.
 */
public final class HelpPageWriter {
    private HelpPageWriter() {
    }

    /** {@code args[0]}: the classes directory the pages go into, next to {@link HelpPages}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: HelpPageWriter CLASSES_DIRECTORY");
        }
        Path base = Path.of(args[0]).resolve(HelpPages.class.getPackageName().replace('.', '/'));
        CommandLine cli = Commands.all(CommandLine.defaultFactory());
        write(base.resolve(HelpPages.TOP_PAGE), cli.getUsageMessage());
        for (String command : commandsWithPages(cli)) {
            write(base.resolve(HelpPages.COMMAND_PAGES + command + ".txt"),
                    cli.getSubcommands().get(command).getUsageMessage());
        }
    }

    /** The subcommands whose {@code -h} and {@code --help} print their usage. */
    public static List<String> commandsWithPages(CommandLine cli) {
        List<String> commands = new ArrayList<>();
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            CommandSpec spec = sub.getValue().getCommandSpec();
            if (isUsageHelp(spec.findOption("-h")) && isUsageHelp(spec.findOption("--help"))) {
                commands.add(sub.getKey());
            }
        }
        return commands;
    }

    /** Every request answered from a page or the version, for a test to put to picocli as well. */
    public static List<List<String>> requests(List<String> commandsWithPages) {
        List<List<String>> requests = new ArrayList<>();
        for (String option : HelpPages.VERSION_OPTIONS) {
            requests.add(List.of(option));
        }
        for (String option : HelpPages.HELP_OPTIONS) {
            requests.add(List.of(option));
        }
        requests.add(List.of("help"));
        for (String command : commandsWithPages) {
            for (String option : HelpPages.HELP_OPTIONS) {
                requests.add(List.of(command, option));
            }
            requests.add(List.of("help", command));
        }
        return requests;
    }

    private static boolean isUsageHelp(OptionSpec option) {
        return option != null && option.usageHelp();
    }

    private static void write(Path page, String text) throws IOException {
        Files.createDirectories(page.getParent());
        Files.writeString(page, text, StandardCharsets.UTF_8);
    }
}
