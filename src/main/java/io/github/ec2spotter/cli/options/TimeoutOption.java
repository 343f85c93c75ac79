package io.github.ec2spotter.cli.options;

import io.github.ec2spotter.config.InputException;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --timeout}: the bound on each wait a command does (EC2 waiters, polling). */
public final class TimeoutOption {
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "1800",
            description = "Give up each wait after this many seconds (default: ${DEFAULT-VALUE}).")
    long seconds;

    public Duration duration() {
        if (seconds <= 0) {
            throw new InputException("--timeout: expected a positive number of seconds, not " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }
}
