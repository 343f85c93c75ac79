package io.github.ec2spotter;

import io.github.ec2spotter.cli.Ec2SpotterCommand;
import picocli.CommandLine;

public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Ec2SpotterCommand()).execute(args));
    }
}
