package io.github.ec2spotter.ops;

/**
 * Where a use case says what it does and what it did. The command line's console implements it
 * (results on stdout, the rest on stderr); unit tests record it.
 */
public interface Progress {
    /** A result: something the user asked for, or a change that was made. */
    void result(String line);

    /** What the use case is doing now. */
    void info(String line);

    void warn(String line);

    /** A line that the next one replaces (a wait's state), shown only where someone watches. */
    void progress(String line);

    /** Ends a progress line, keeping its last text. */
    void endProgress();
}
