package io.github.ec2spotter.cli.startup;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code -v}: ec2spotter's own debug lines and the SDK's request log (each call, its status,
 * request id and retries). Other SDK loggers stay quiet: the signer's debug output contains the
 * session token.
 */
final class Verbosity {
    private Verbosity() {
    }

    static void enable() {
        level("io.github.ec2spotter", Level.DEBUG);
        level("software.amazon.awssdk.request", Level.DEBUG);
        level("software.amazon.awssdk.core.internal.retry", Level.DEBUG);
    }

    private static void level(String name, Level level) {
        ((Logger) LoggerFactory.getLogger(name)).setLevel(level);
    }
}
