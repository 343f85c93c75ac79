package io.github.ec2spotter.cli.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine;

class CommandsTest {
    private static final List<String> ALL_NAMES = Commands.ALL.stream().map(Commands.Subcommand::name).toList();

    @Test
    void eachNameIsTheCommandsOwn() {
        for (Commands.Subcommand s : Commands.ALL) {
            assertEquals(s.name(), s.type().get().getAnnotation(Command.class).name());
        }
    }

    @Test
    void aRunThatNamesItsCommandGetsOnlyThatOne() {
        assertEquals(List.of("launch"), names(Commands.forArgs(CommandLine.defaultFactory(), "launch", "my.conf")));
        assertEquals(List.of("user-data"), names(Commands.forArgs(CommandLine.defaultFactory(), "user-data", "-h")));
    }

    @Test
    void helpCompletionAndUnknownWordsGetTheWholeTree() {
        for (String first : List.of("help", "completion", "lunch", "--help", "-v")) {
            assertEquals(ALL_NAMES, names(Commands.forArgs(CommandLine.defaultFactory(), first, "x")), first);
        }
        assertEquals(ALL_NAMES, names(Commands.forArgs(CommandLine.defaultFactory())));
        assertEquals(ALL_NAMES, names(Commands.all(CommandLine.defaultFactory())));
    }

    private static List<String> names(CommandLine commandLine) {
        return List.copyOf(commandLine.getSubcommands().keySet());
    }
}
