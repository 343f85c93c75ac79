package io.github.ec2spotter.cli.startup;

import io.github.ec2spotter.cli.Ec2SpotterCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Answers {@code --help}, {@code --version}, {@code help [COMMAND]} and {@code COMMAND --help} without
 * picocli. Building picocli's model of the commands by reflection is most of what a help run costs
 * (0.3 s of 0.45 s under a bare {@code java -jar}); the pages are rendered by picocli itself at
 * build time (the build-only HelpPageWriter, with the tests) and HelpPagesIT proves that each one reads exactly as
 * picocli would print it. Anything else, or a build without the pages, goes to picocli.
 *
 * <p>Loads no picocli class: that is the point.
 */
public final class HelpPages {
    /** Where the pages are, next to this class: {@code ec2spotter.txt}, and one per command. */
    public static final String TOP_PAGE = "help/ec2spotter.txt";
    public static final String COMMAND_PAGES = "help/commands/";
    public static final List<String> HELP_OPTIONS = List.of("-h", "--help");
    public static final List<String> VERSION_OPTIONS = List.of("-V", "--version");
    /** A command name as the pages are named; anything else cannot be a page (no paths). */
    private static final Pattern COMMAND_NAME = Pattern.compile("[a-z][a-z-]*");

    private HelpPages() {
    }

    /** What to print for {@code args} when they only ask for help or the version; empty otherwise. */
    public static Optional<String> forArgs(String... args) {
        if (args.length == 1 && VERSION_OPTIONS.contains(args[0])) {
            return Optional.of(String.join(System.lineSeparator(), Ec2SpotterCommand.versionLines())
                    + System.lineSeparator());
        }
        if (args.length == 1 && (HELP_OPTIONS.contains(args[0]) || args[0].equals("help"))) {
            return read(TOP_PAGE);
        }
        if (args.length == 2 && HELP_OPTIONS.contains(args[1])) {
            return commandPage(args[0]);
        }
        if (args.length == 2 && args[0].equals("help")) {
            return commandPage(args[1]);
        }
        return Optional.empty();
    }

    private static Optional<String> commandPage(String command) {
        return COMMAND_NAME.matcher(command).matches() ? read(COMMAND_PAGES + command + ".txt") : Optional.empty();
    }

    private static Optional<String> read(String page) {
        try (InputStream in = HelpPages.class.getResourceAsStream(page)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the help page " + page + " in the jar", e);
        }
    }
}
