package io.github.ec2spotter.cli;

import java.io.PrintStream;

/**
 * Where a command's words go: results on stdout (so they can be piped), everything else on
 * stderr.
 */
public final class Console {
    private final PrintStream out;
    private final PrintStream err;

    public Console(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static Console system() {
        return new Console(System.out, System.err);
    }

    /** A result line: the thing the user asked for. */
    public void result(String line) {
        out.println(line);
    }

    /** Progress: what the command is doing now. */
    public void info(String line) {
        err.println(line);
    }

    public void warn(String line) {
        err.println("warning: " + line);
    }

    public void error(String message) {
        err.println("error: " + message);
    }

    public PrintStream err() {
        return err;
    }
}
