package io.github.ec2spotter.testing;

import io.github.ec2spotter.cli.startup.Commands;
import picocli.CommandLine;

/**
 * The jar's Main without the pre-rendered help pages: every request goes through picocli. Run
 * with the jar on the class path, so the version comes from the jar's manifest as in a real run.
 */
public final class PicocliMain {
    private PicocliMain() {
    }

    public static void main(String[] args) {
        System.exit(Commands.forArgs(CommandLine.defaultFactory(), args).execute(args));
    }
}
