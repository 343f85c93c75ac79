package io.github.ec2spotter.cli.output;

import io.github.ec2spotter.ops.Progress;
import io.github.ec2spotter.text.Printable;
import java.io.PrintStream;
import java.util.List;
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
    /** Whether stderr is a terminal (progress lines), null until asked. */
    private Boolean stderrTerminal;
    /** Whether the last thing written to stderr is a progress line still open for rewriting. */
    private boolean progressOpen;

    private Console(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static Console system() {
        return new Console(System.out, System.err);
    }

    /**
     * Whether a person is there to answer a question: stdin is a terminal. Where stdout and
     * stderr go does not matter ({@code stop conf | tee log} still has someone typing).
     */
    public boolean canAsk() {
        return Terminal.isTerminal(0);
    }

    /**
     * Progress that rewrites one stderr line when stderr is a terminal (whatever stdout is);
     * nothing at all elsewhere, so logs of scripted runs hold only results, warnings and errors.
     */
    @Override
    public void progress(String line) {
        if (stderrTerminal == null) {
            stderrTerminal = Terminal.isTerminal(2);
        }
        if (stderrTerminal) {
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

    /**
     * Shows {@code lines} and asks {@code question} on the terminal itself, not on stdout or
     * stderr, which may go to a file or a pipe; empty when no one is at a terminal
     * ({@link #canAsk}) or the input ended.
     */
    public Optional<String> ask(List<String> lines, String question) {
        if (!canAsk()) {
            return Optional.empty();
        }
        endProgress();
        return Terminal.ask(lines.stream().map(Printable::lines).toList(), Printable.of(question));
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
