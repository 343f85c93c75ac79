package io.github.ec2spotter.cli;

import io.github.ec2spotter.cli.options.ConfOptions;
import io.github.ec2spotter.cli.options.OutputOptions;
import io.github.ec2spotter.config.Credentials;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.ops.StatusReport;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Show the volume's spot requests, their instances and where the volume is attached.",
                "For every ec2spotter request: type, state, status code and message, instance id and state, public IP, "
                        + "launch time, and the current spot price for its type and zone.",
                "Requests are found in the launch zone's region by the tags launch put on them. No volume with the "
                        + "conf's Name, or two or more, is an error, as for launch.",
                "Also each live request's last interruption and, for a running instance, whether an interruption "
                        + "notice is pending; and where the current instance's boot stands (attached, pivoted, "
                        + "failed: reason), from its tags and console output."},
        footer = {"", "Exit codes: 0 done, 1 AWS or runtime failure or no such volume, 2 bad options, conf or "
                + "credentials file."})
public final class StatusCommand extends BaseCommand {
    @Mixin
    ConfOptions conf;

    @Mixin
    OutputOptions output;

    @Option(names = "--wide", description = "Show every column of the table, however wide (by default it fits 80 "
            + "columns, leaving out the least needed ones and saying which).")
    boolean wide;

    @Override
    int run() {
        LaunchSettings settings = inKnownRegions(conf.settings(console, Optional.empty()));
        Credentials credentials = conf.credentials(console);
        Ec2.Connector connector = ec2(credentials);
        StatusReport report;
        try (Ec2 ec2 = connector.connect(settings.region())) {
            report = StatusReport.of(settings, ec2, connector);
        }
        output.print(console, wide ? report.wide() : report);
        return ExitCodes.OK;
    }
}
