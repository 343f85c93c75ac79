package io.github.ec2spotter.cli.output;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The user's terminal, seen one standard stream at a time. {@link System#console()} cannot say
 * this: up to Java 21 it is null unless stdin and stdout both are terminals (so {@code stop | tee
 * log} looked unattended), and from Java 22 it exists even when both are redirected. Linux shows
 * what each descriptor is in {@code /proc/self/fd}; a question goes to {@code /dev/tty}, the
 * process's controlling terminal, so it is seen whatever stdout and stderr are redirected to.
 */
final class Terminal {
    private static final Path TTY = Path.of("/dev/tty");

    private Terminal() {
    }

    /** Whether standard descriptor {@code fd} (0, 1, 2) is a terminal. */
    static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            String target = Files.readSymbolicLink(link).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            // No /proc (not Linux): the JVM's own test, which is about stdin and stdout together.
            return System.console() != null;
        }
    }

    /**
     * Shows {@code lines} and {@code question} on the controlling terminal and reads the answer
     * there; empty when there is no terminal to open or the input ended.
     */
    static Optional<String> ask(List<String> lines, String question) {
        if (!Files.isReadable(TTY)) {
            return Optional.empty();
        }
        Charset charset = Charset.defaultCharset();
        try (FileInputStream in = new FileInputStream(TTY.toFile());
             FileOutputStream out = new FileOutputStream(TTY.toFile())) {
            PrintWriter screen = new PrintWriter(new OutputStreamWriter(out, charset), false);
            lines.forEach(screen::println);
            screen.print(question);
            screen.flush();
            // Not buffered beyond the one line: the terminal hands over a line at a time.
            return Optional.ofNullable(new BufferedReader(new InputStreamReader(in, charset), 1).readLine());
        } catch (IOException e) {
            // ENXIO: no controlling terminal (a daemon, setsid); as good as no one there.
            return Optional.empty();
        }
    }
}
