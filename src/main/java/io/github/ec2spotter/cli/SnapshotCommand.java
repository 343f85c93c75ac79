package io.github.ec2spotter.cli;

import io.github.ec2spotter.cli.options.ConfOptions;
import io.github.ec2spotter.cli.options.OutputOptions;
import io.github.ec2spotter.cli.options.TimeoutOption;
import io.github.ec2spotter.config.InputException;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.ops.VolumeSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "snapshot", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Take an EBS snapshot of the volume; with --keep, delete the oldest ones beyond N.",
                "The snapshot is tagged ec2spotter:volume=<volume id> and Name=<the conf's volume name>; its "
                        + "description says when (UTC) and of what. A snapshot of a volume in use is "
                        + "crash-consistent, like pulling the power: run sync first, or stop, for a consistent one.",
                "--keep N then deletes the volume's snapshots tagged ec2spotter:volume beyond the newest N, and no "
                        + "other snapshot. One an AMI is registered from is kept (a warning names the AMI) and the "
                        + "exit code stays 0.",
                "No volume with the conf's Name, or two or more, is an error, as for launch."},
        footer = {"", "Exit codes: 0 done (also when --keep had to keep a snapshot an AMI uses), 1 AWS or runtime "
                + "failure or no such volume, 2 bad options, conf or credentials file."})
public final class SnapshotCommand extends BaseCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = "--keep", paramLabel = "N", description = "Afterwards delete the volume's ec2spotter snapshots "
            + "beyond the newest N (N at least 1; the new one counts).")
    Integer keep;

    @Option(names = "--wait", description = "Wait until the snapshot is completed (progress on stderr).")
    boolean waitForIt;

    @Mixin
    TimeoutOption timeout;

    @Mixin
    OutputOptions output;

    @Override
    int run() {
        if (keep != null && keep < 1) {
            throw new InputException("--keep: expected at least 1 (the snapshot just taken), not " + keep);
        }
        Duration limit = timeout.duration();
        LaunchSettings settings = inKnownRegions(conf.settings(console, Optional.empty()));
        Ec2.Connector connector = ec2(conf.credentials(console));
        VolumeSnapshot.Outcome outcome;
        try (Ec2 ec2 = connector.connect(settings.region())) {
            outcome = new VolumeSnapshot(ec2, connector, console).take(settings, Instant.now(),
                    waitForIt ? Optional.of(limit) : Optional.empty(),
                    keep == null ? OptionalInt.empty() : OptionalInt.of(keep));
        }
        output.print(console, outcome);
        return ExitCodes.OK;
    }
}
