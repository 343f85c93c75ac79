package io.github.ec2spotter.cli.startup;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code -v}: ec2spotter's own debug lines, among them its request log (each EC2 call by action,
 * its status, request id and retries). The SDK's loggers stay quiet: its request log names no
 * action and prints stack traces for retries and a successful dry run, and the signer's debug
 * output contains the session token.
 */
final class Verbosity {
    private Verbosity() {
    }

    static void enable() {
        level("io.github.ec2spotter", Level.DEBUG);
    }

    private static void level(String name, Level level) {
        ((Logger) LoggerFactory.getLogger(name)).setLevel(level);
    }
}
