package io.github.ec2spotter.cli;

import io.github.ec2spotter.cli.options.ConfOptions;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.ops.ConsoleLog;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "logs", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Show the current instance's console output: the boot script's and the init stub's lines.",
                "The instance is the one of the volume's newest ec2spotter request that is pending, running or stopped. "
                        + "EC2 keeps a copy of the console some minutes behind it. No volume with the conf's Name, or "
                        + "two or more, is an error, as for launch.",
                "Escape sequences and control characters in the console are removed before printing."},
        footer = {"", "Exit codes: 0 done (also when EC2 has no console output yet), 1 no such volume, no current "
                + "instance, AWS or runtime failure, 2 bad options, conf or credentials file."})
public final class LogsCommand extends BaseCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = "--all", description = "After the ec2spotter lines, print the whole console output.")
    boolean all;

    @Override
    int run() {
        LaunchSettings settings = inKnownRegions(conf.settings(console, Optional.empty()));
        Ec2.Connector connector = ec2(conf.credentials(console));
        try (Ec2 ec2 = connector.connect(settings.region())) {
            new ConsoleLog(ec2, connector, console).show(settings, all);
        }
        return ExitCodes.OK;
    }
}
