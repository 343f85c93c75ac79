package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.cli.startup.Commands;
import io.github.ec2spotter.testing.Jar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's command synopses and the jar's {@code --help} list the same commands and the
 * same options, so that neither can drift from the other.
 */
class HelpMatchesReadmeIT {
    /** An option line of picocli's help: "  -y, --yes  ..." or "      --profile=NAME  ...". */
    private static final Pattern HELP_OPTION = Pattern.compile("(?m)^ {2,6}(?:(-[a-zA-Z]), )?(--[a-z][a-z-]*)");
    /** An option in a README synopsis: [-v], [--dry-run], [--timeout=SECONDS]. */
    private static final Pattern SYNOPSIS_OPTION = Pattern.compile("(?<![\\w-])(--?[a-zA-Z][a-z-]*)");
    private static final Set<String> STANDARD = Set.of("--help", "--version");

    @TempDir
    Path dir;

    @Test
    void everyCommandAndOptionInHelpIsInTheReadmeAndBack() throws Exception {
        Jar jar = Jar.built(dir);
        List<String> synopses = commandsSection(Files.readAllLines(Path.of("README.md")));
        List<String> commands = commandsInHelp(jar.run("--help").stdout());
        assertFalse(commands.isEmpty(), "no commands in ec2spotter --help");
        for (String command : commands) {
            String synopsis = synopses.stream()
                    .filter(l -> (l + " ").startsWith("ec2spotter " + command + " "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("the README's Commands section has no synopsis line "
                            + "'ec2spotter " + command + " ...' for a command in --help"));
            Jar.Result help = jar.run(command, "--help");
            assertEquals(0, help.exitCode(), help.toString());
            Map<String, String> options = optionsInHelp(help.stdout());
            Set<String> inReadme = optionTokens(synopsis);
            for (Map.Entry<String, String> option : options.entrySet()) {
                assertTrue(inReadme.contains(option.getKey()) || inReadme.contains(option.getValue()),
                        "'" + command + " --help' has " + option.getKey() + " but the README synopsis does not: "
                                + synopsis);
            }
            for (String token : inReadme) {
                assertTrue(options.containsKey(token) || options.containsValue(token),
                        "the README synopsis of '" + command + "' has " + token + " but --help does not");
            }
        }
    }

    /**
     * A help page the README shows whole (an indented block starting {@code Usage: ec2spotter
     * COMMAND}) reads exactly as the jar prints it.
     */
    @Test
    void theHelpPagesInTheReadmeAreTheJarsOwn() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        Jar jar = Jar.built(dir);
        int shown = 0;
        for (int i = 0; i < readme.size(); i++) {
            Matcher usage = Pattern.compile("^    Usage: ec2spotter ([a-z-]+) ").matcher(readme.get(i));
            if (!usage.find()) {
                continue;
            }
            StringBuilder block = new StringBuilder();
            int end = i;
            // The block runs to the first line that is neither indented nor blank and followed by an indented one.
            while (end < readme.size() && (readme.get(end).startsWith("    ") || readme.get(end).isEmpty()
                    && end + 1 < readme.size() && readme.get(end + 1).startsWith("    "))) {
                block.append(readme.get(end).isEmpty() ? "" : readme.get(end).substring(4)).append('\n');
                end++;
            }
            Jar.Result help = jar.run(usage.group(1), "--help");
            assertEquals(help.stdout(), block.toString(), "the README's help page of " + usage.group(1));
            shown++;
        }
        assertTrue(shown >= 1, "the README shows no help page (setup's should be there)");
    }

    /** The synopses in the README's "### Commands" section: its indented lines, continuations joined. */
    private static List<String> commandsSection(List<String> readme) {
        int start = readme.indexOf("### Commands");
        assertFalse(start < 0, "README has no '### Commands' section");
        List<String> lines = new ArrayList<>();
        for (String line : readme.subList(start + 1, readme.size())) {
            if (line.startsWith("#")) {
                break;
            }
            if (line.startsWith("     ") && !lines.isEmpty()) {
                // A deeper indent continues the synopsis above it.
                lines.set(lines.size() - 1, lines.get(lines.size() - 1) + " " + line.strip());
            } else if (line.startsWith("    ")) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    /** The command names under "Commands:" in the top-level help, less picocli's own {@code help}. */
    private static List<String> commandsInHelp(String help) {
        List<String> names = new ArrayList<>();
        boolean inCommands = false;
        for (String line : help.split("\n")) {
            if (line.startsWith("Commands:")) {
                inCommands = true;
            } else if (inCommands) {
                Matcher m = Pattern.compile("^  ([a-z][a-z-]*)\\s").matcher(line);
                if (m.find() && !m.group(1).equals("help")) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /**
     * The options in a command's help, long name to short name (or to itself when it has none),
     * less the standard --help and --version.
     */
    private static Map<String, String> optionsInHelp(String help) {
        Map<String, String> options = new TreeMap<>();
        Matcher m = HELP_OPTION.matcher(help);
        while (m.find()) {
            if (!STANDARD.contains(m.group(2))) {
                options.put(m.group(2), m.group(1) == null ? m.group(2) : m.group(1));
            }
        }
        return options;
    }

    private static Set<String> optionTokens(String synopsis) {
        Set<String> tokens = new TreeSet<>();
        Matcher m = SYNOPSIS_OPTION.matcher(synopsis);
        while (m.find()) {
            tokens.add(m.group(1));
        }
        return tokens;
    }
}
