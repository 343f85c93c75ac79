package io.github.ec2spotter.cli;

import io.github.ec2spotter.cli.options.ConfOptions;
import io.github.ec2spotter.cli.options.OutputOptions;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ops.Cleanup;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cleanup", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Delete what launch --move-volume left behind: the old volume and the move's snapshots.",
                "Looks in the launch region and the conf's volume region for volumes named <name>-moved-to-<id> and "
                        + "for the snapshots tagged ec2spotter:moved-from by the moves (the copy across regions too).",
                "Never deletes the volume in use (the one with the conf's Name), a volume attached to an instance or "
                        + "not available, or a snapshot an AMI is registered from (a warning names each one kept).",
                "It shows what it will delete and asks first, on the terminal itself, as stop does. With no "
                        + "terminal to answer it refuses unless given --yes. Nothing left: it says so."},
        footer = {"", "Exit codes: 0 done (or nothing to clean up), 1 AWS or runtime failure, no such volume or not "
                + "confirmed, 2 bad options, conf or credentials file, or stdin not a terminal and no --yes."})
public final class CleanupCommand extends BaseCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = {"-y", "--yes"}, description = "Delete without asking; needed when stdin is not a terminal.")
    boolean yes;

    @Mixin
    OutputOptions output;

    @Override
    int run() {
        LaunchSettings settings = inKnownRegions(conf.settings(console, Optional.empty()));
        Cleanup cleanup = new Cleanup(ec2(conf.credentials(console)), console);
        Cleanup.Outcome outcome = cleanup.run(settings, plan -> yes || confirmed("cleanup", "clean up", plan.summary()));
        if (!outcome.confirmed()) {
            console.error("not confirmed; nothing was deleted");
            return ExitCodes.FAILURE;
        }
        output.print(console, outcome);
        return ExitCodes.OK;
    }
}
