package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.ec2spotter.cli.startup.Commands;
import io.github.ec2spotter.release.HelpPageWriter;
import io.github.ec2spotter.testing.Jar;
import io.github.ec2spotter.testing.PicocliMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The help and version the jar prints from its pre-rendered pages are exactly what picocli prints
 * for the same request, byte for byte and with the same exit code; requests that only look like
 * help requests still reach picocli. Both sides run the built jar as a process.
 */
class HelpPagesIT {
    @TempDir
    Path dir;

    @Test
    void everyPageReadsAsPicocliPrintsIt() throws Exception {
        List<String> commands = HelpPageWriter.commandsWithPages(Commands.all(CommandLine.defaultFactory()));
        assertEquals(List.of("setup", "launch", "status", "logs", "stop", "ssh", "snapshot", "cleanup", "prices", "user-data", "completion", "help"), commands);
        List<List<String>> requests = HelpPageWriter.requests(commands);
        for (List<String> request : requests) {
            Jar.Result pages = Jar.built(dir).run(request.toArray(String[]::new));
            assertEquals(ExitCodes.OK, pages.exitCode(), () -> request + ": " + pages);
            assertEquals("", pages.stderr(), () -> request + ": " + pages);
            assertFalse(pages.stdout().isBlank(), () -> request + ": " + pages);
            assertSameAsPicocli(request, pages);
        }
    }

    @Test
    void requestsWithoutAPageGoToPicocli() throws Exception {
        List<List<String>> requests = List.of(
                List.of("nope", "--help"),
                List.of("help", "nope"),
                List.of("train-cache", "--help"),
                List.of("..", "--help"),
                List.of("launch", "--help", "extra"),
                List.of("-hV"));
        for (List<String> request : requests) {
            assertSameAsPicocli(request, Jar.built(dir).run(request.toArray(String[]::new)));
        }
    }

    /** The same answer on a terminal: the pages are plain text, and so is picocli's help. */
    @Test
    void aTerminalGetsThePlainPage() throws Exception {
        Jar.Result pipe = Jar.built(dir).run("launch", "--help");
        Jar.Result terminal = Jar.built(dir).runOnTerminal(null, "launch", "--help");
        assertEquals(pipe.stdout(), terminal.stdout().replace("\r\n", "\n"));
    }

    private void assertSameAsPicocli(List<String> request, Jar.Result fromJar) throws Exception {
        Jar.Result picocli = Jar.built(dir)
                .mainClass(PicocliMain.class.getName(), Path.of("target", "test-classes"))
                .run(request.toArray(String[]::new));
        List<String> differences = new ArrayList<>();
        if (picocli.exitCode() != fromJar.exitCode()) {
            differences.add("exit " + fromJar.exitCode() + " instead of " + picocli.exitCode());
        }
        if (!picocli.stdout().equals(fromJar.stdout())) {
            differences.add("stdout differs");
        }
        if (!picocli.stderr().equals(fromJar.stderr())) {
            differences.add("stderr differs");
        }
        assertEquals(List.of(), differences, () -> request + "\n== jar: " + fromJar + "\n== picocli: " + picocli);
    }
}
