package io.github.ec2spotter.cli;

import io.github.ec2spotter.cli.options.ConfOptions;
import io.github.ec2spotter.cli.options.TimeoutOption;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ops.Stop;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stop", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Cancel the volume's spot requests, terminate their instances, wait for the volume.",
                "Cancels every open, active or disabled ec2spotter request, then terminates the instances they started, "
                        + "then waits until the volume is available again.",
                "Cancelling comes first: terminating the instance of a live persistent request makes EC2 start a new "
                        + "one. Running stop again when everything is stopped changes nothing.",
                "It shows what it will end and asks before changing anything, on the terminal itself (stdin a "
                        + "terminal; stdout and stderr may be redirected). With no terminal to answer (a script, "
                        + "a pipe, cron) it refuses unless given --yes.",
                "No volume with the conf's Name, or two or more, is an error: nothing is stopped."},
        footer = {"", "Exit codes: 0 done (or nothing to do), 1 AWS or runtime failure, no such volume or not "
                + "confirmed, 2 bad options, conf or credentials file, or stdin not a terminal and no --yes."})
public final class StopCommand extends BaseCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = {"-y", "--yes"}, description = "Stop without asking; needed when stdin is not a terminal.")
    boolean yes;

    @Mixin
    TimeoutOption timeout;

    @Override
    int run() {
        LaunchSettings settings = inKnownRegions(conf.settings(console, Optional.empty()));
        Duration limit = timeout.duration();
        Stop stop = new Stop(ec2(conf.credentials(console)), console);
        if (!stop.run(settings, limit, plan -> yes || confirmed("stop", "stop", plan.summary()))) {
            console.error("not confirmed; nothing was changed");
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }
}
