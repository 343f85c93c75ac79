package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.ec2spotter.testing.Jar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    private static final Pattern LONG_OPTION = Pattern.compile("--[a-z][a-z-]*");
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
            assertEquals(longOptions(usage(help.stdout())), longOptions(synopsis),
                    "options of '" + command + "': --help (left) vs README synopsis (right)");
        }
    }

    /** The indented lines of the README's "### Commands" section, stripped. */
    private static List<String> commandsSection(List<String> readme) {
        int start = readme.indexOf("### Commands");
        assertFalse(start < 0, "README has no '### Commands' section");
        List<String> lines = new ArrayList<>();
        for (String line : readme.subList(start + 1, readme.size())) {
            if (line.startsWith("#")) {
                break;
            }
            if (line.startsWith("    ")) {
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

    /** The synopsis lines of a command's help: from "Usage:" up to the first line not indented as its continuation. */
    private static String usage(String help) {
        StringBuilder usage = new StringBuilder();
        for (String line : help.split("\n")) {
            if (line.startsWith("Usage:")) {
                usage.append(line);
            } else if (usage.length() > 0 && line.startsWith("   ")) {
                usage.append(' ').append(line.strip());
            } else if (usage.length() > 0) {
                break;
            }
        }
        return usage.toString();
    }

    private static Set<String> longOptions(String text) {
        Set<String> options = new TreeSet<>();
        Matcher m = LONG_OPTION.matcher(text);
        while (m.find()) {
            if (!STANDARD.contains(m.group())) {
                options.add(m.group());
            }
        }
        return options;
    }
}
