package io.github.ec2spotter.cli.output;

import io.github.ec2spotter.ops.Progress;
import io.github.ec2spotter.text.Printable;
import java.io.PrintStream;
import java.util.Optional;

/**
 * Where a command's words go: results on stdout (so they can be piped), everything else on
 * stderr. Every line passes through {@link Printable#lines}: text from AWS (a tag, an error
 * message, an id a hostile endpoint made up) or from a file can hold terminal escape
 * sequences, and none may reach the user's terminal raw, whichever code path printed it.
 */
public final class Console implements Progress {
    private final PrintStream out;
    private final PrintStream err;
    /** The controlling terminal, null when the user is not at one (a pipe, a script, cron). */
    private final java.io.Console terminal;
    /** Whether the last thing written to stderr is a progress line still open for rewriting. */
    private boolean progressOpen;

    private Console(PrintStream out, PrintStream err, java.io.Console terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    public static Console system() {
        return new Console(System.out, System.err, System.console());
    }

    /** Whether a person is at a terminal: only then are there progress displays and questions. */
    public boolean isTerminal() {
        return terminal != null;
    }

    /**
     * Progress that rewrites one stderr line on a terminal; nothing at all elsewhere, so logs of
     * scripted runs hold only results, warnings and errors.
     */
    @Override
    public void progress(String line) {
        if (terminal != null) {
            err.print("\r\033[K" + Printable.of(line));
            err.flush();
            progressOpen = true;
        }
    }

    /** Ends a progress line, keeping its last text on the screen. */
    @Override
    public void endProgress() {
        if (progressOpen) {
            err.println();
            progressOpen = false;
        }
    }

    /** Asks a question on the terminal; empty when there is none or the input ended. */
    public Optional<String> ask(String question) {
        if (terminal == null) {
            return Optional.empty();
        }
        endProgress();
        return Optional.ofNullable(terminal.readLine("%s", question));
    }

    /** A result line: the thing the user asked for. */
    @Override
    public void result(String line) {
        endProgress();
        out.println(Printable.lines(line));
    }

    /** Progress: what the command is doing now. */
    @Override
    public void info(String line) {
        endProgress();
        err.println(Printable.lines(line));
    }

    @Override
    public void warn(String line) {
        endProgress();
        err.println("warning: " + Printable.lines(line));
    }

    public void error(String message) {
        endProgress();
        err.println("error: " + Printable.lines(message));
    }

    public PrintStream err() {
        return err;
    }
}
