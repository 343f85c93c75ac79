package io.github.ec2spotter.cli;

import io.github.ec2spotter.cli.options.ConfOptions;
import io.github.ec2spotter.cli.options.TimeoutOption;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.ops.Stop;
import io.github.ec2spotter.plan.StopPlan;
import java.time.Duration;
import java.util.Locale;
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
                "On a terminal it asks before changing anything; --yes skips the question."},
        footer = {"", "Exit codes: 0 done (or nothing to do), 1 AWS or runtime failure or not confirmed, "
                + "2 bad options, conf or credentials file."})
public final class StopCommand extends BaseCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation on a terminal.")
    boolean yes;

    @Mixin
    TimeoutOption timeout;

    @Override
    int run() {
        LaunchSettings settings = conf.settings(console, Optional.empty());
        Duration limit = timeout.duration();
        try (Ec2 ec2 = ec2(conf.credentials(console)).connect(settings.region())) {
            if (!new Stop(ec2, console).run(settings, limit, plan -> !console.isTerminal() || yes || confirmed(plan))) {
                console.error("not confirmed; nothing was changed");
                return ExitCodes.FAILURE;
            }
        }
        return ExitCodes.OK;
    }

    private boolean confirmed(StopPlan plan) {
        console.info("stop will:");
        plan.summary().forEach(line -> console.info("  " + line));
        Optional<String> answer = console.ask("Go ahead? [y/N] ");
        return answer.map(a -> a.strip().toLowerCase(Locale.ROOT)).filter(a -> a.equals("y") || a.equals("yes"))
                .isPresent();
    }
}
