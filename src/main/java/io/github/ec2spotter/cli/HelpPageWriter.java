package io.github.ec2spotter.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Renders the help pages {@link HelpPages} prints, with picocli, at build time (Maven's
 * {@code process-classes} phase runs {@link #main}). A command gets a page when both {@code -h} and
 * {@code --help} show its usage.
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
    static List<String> commandsWithPages(CommandLine cli) {
        List<String> commands = new ArrayList<>();
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            CommandSpec spec = sub.getValue().getCommandSpec();
            if (isUsageHelp(spec.findOption("-h")) && isUsageHelp(spec.findOption("--help"))) {
                commands.add(sub.getKey());
            }
        }
        return commands;
    }

    private static boolean isUsageHelp(OptionSpec option) {
        return option != null && option.usageHelp();
    }

    private static void write(Path page, String text) throws IOException {
        Files.createDirectories(page.getParent());
        Files.writeString(page, text, StandardCharsets.UTF_8);
    }
}
