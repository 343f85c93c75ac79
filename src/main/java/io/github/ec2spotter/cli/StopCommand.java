package io.github.ec2spotter.cli;

import io.github.ec2spotter.ExitCodes;
import io.github.ec2spotter.Failure;
import io.github.ec2spotter.aws.Ec2Gateway;
import io.github.ec2spotter.aws.InstanceInfo;
import io.github.ec2spotter.aws.SpotRequestInfo;
import io.github.ec2spotter.aws.VolumeInfo;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.plan.StopPlan;
import io.github.ec2spotter.text.Printable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
final class StopCommand extends BaseCommand {
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
        var credentials = conf.credentials(console);
        String name = Printable.of(settings.volumeName());
        try (Ec2Gateway ec2 = Ec2Gateway.connect(credentials, settings.region(), environment)) {
            List<SpotRequestInfo> requests = ec2.findSpotRequestsNamed(settings.volumeName());
            Set<String> instanceIds = new TreeSet<>();
            requests.forEach(r -> r.instanceId().ifPresent(instanceIds::add));
            Map<String, InstanceInfo> instances = ec2.findInstances(instanceIds);
            Optional<VolumeInfo> volume = VolumeLookup.inRegion(settings, ec2);
            StopPlan plan = StopPlan.of(requests, instances, volume);
            if (plan.nothingToEnd()) {
                console.result("Nothing to stop: no live ec2spotter spot request and no running instance for volume '"
                        + name + "' in " + settings.region());
            } else {
                if (console.isTerminal() && !yes && !confirmed(plan)) {
                    console.error("not confirmed; nothing was changed");
                    return ExitCodes.FAILURE;
                }
                if (!plan.cancel().isEmpty()) {
                    Map<String, String> cancelled = ec2.cancelSpotRequests(plan.cancel().stream()
                            .map(SpotRequestInfo::id).toList());
                    plan.cancel().forEach(r -> console.result("Cancelled spot request " + r.id() + " (was " + r.state()
                            + ", now " + cancelled.getOrDefault(r.id(), "unknown") + ")"));
                }
                if (!plan.terminate().isEmpty()) {
                    List<String> ids = plan.terminate().stream().map(InstanceInfo::id).toList();
                    Map<String, String> terminating;
                    try {
                        terminating = ec2.terminateInstances(ids);
                    } catch (Failure e) {
                        // Half-way: the requests are cancelled, so nothing relaunches, but the instances still bill.
                        throw new Failure(e.getMessage() + "; the spot requests are cancelled but "
                                + String.join(", ", ids) + " still run: terminate them with: aws ec2 terminate-instances"
                                + " --region " + settings.region() + " --instance-ids " + String.join(" ", ids), e);
                    }
                    plan.terminate().forEach(i -> console.result("Terminating instance " + i.id() + " (was " + i.state()
                            + ", now " + terminating.getOrDefault(i.id(), "unknown") + ")"));
                }
            }
            plan.foreignAttachment().ifPresent(i -> console.warn("volume " + volume.get().id() + " is attached to "
                    + "instance " + i + ", which no ec2spotter request started; stop left it alone"));
            if (volume.isPresent() && plan.waitForVolume()) {
                VolumeInfo v = volume.get();
                console.info("Waiting for volume " + v.id() + " to become available (up to " + limit.toSeconds() + " s)");
                ec2.awaitVolumeAvailable(v.id(), limit);
                console.result("Volume '" + name + "' (" + v.id() + ") is available");
            } else if (volume.isPresent() && plan.foreignAttachment().isEmpty()) {
                console.result("Volume '" + name + "' (" + volume.get().id() + ") is " + volume.get().state());
            }
            return ExitCodes.OK;
        }
    }

    private boolean confirmed(StopPlan plan) {
        console.info("stop will:");
        plan.summary().forEach(line -> console.info("  " + line));
        Optional<String> answer = console.ask("Go ahead? [y/N] ");
        return answer.map(a -> a.strip().toLowerCase(Locale.ROOT)).filter(a -> a.equals("y") || a.equals("yes"))
                .isPresent();
    }
}
