package io.github.ec2spotter.cli;

import io.github.ec2spotter.text.Printable;
import java.io.PrintStream;

/**
 * Where a command's words go: results on stdout (so they can be piped), everything else on
 * stderr. Every line passes through {@link Printable#lines}: text from AWS (a tag, an error
 * message, an id a hostile endpoint made up) or from a file can hold terminal escape
 * sequences, and none may reach the user's terminal raw, whichever code path printed it.
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
        out.println(Printable.lines(line));
    }

    /** Progress: what the command is doing now. */
    public void info(String line) {
        err.println(Printable.lines(line));
    }

    public void warn(String line) {
        err.println("warning: " + Printable.lines(line));
    }

    public void error(String message) {
        err.println("error: " + Printable.lines(message));
    }

    public PrintStream err() {
        return err;
    }
}
