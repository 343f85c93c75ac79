package io.github.ec2spotter.ops;

import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.config.Zones;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.model.VolumeInfo;
import io.github.ec2spotter.plan.StopPlan;
import io.github.ec2spotter.text.Printable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code stop}: carries out a {@link StopPlan} in its order (cancel the requests, then terminate
 * their instances, then wait for the volume); a failure half-way says what is left running.
 */
public final class Stop {
    private final Ec2.Connector connector;
    private final Progress progress;
    /** EC2 in the launch region, where the requests and their instances are; set for one run. */
    private Ec2 ec2;

    public Stop(Ec2.Connector connector, Progress progress) {
        this.connector = connector;
        this.progress = progress;
    }

    /**
     * @param confirm asked, when there is something to end, whether to go ahead
     * @return false when {@code confirm} said no: then nothing was changed
     */
    public boolean run(LaunchSettings settings, Duration limit, Predicate<StopPlan> confirm) {
        try (Ec2 launchRegion = connector.connect(settings.region())) {
            ec2 = launchRegion;
            return run(settings, VolumeLookup.named(settings, ec2, connector), limit, confirm);
        } finally {
            ec2 = null;
        }
    }

    private boolean run(LaunchSettings settings, VolumeInfo found, Duration limit, Predicate<StopPlan> confirm) {
        String name = Printable.of(settings.volumeName());
        List<SpotRequestInfo> requests = ec2.findSpotRequestsNamed(settings.volumeName());
        Map<String, InstanceInfo> instances = VolumeLookup.instancesOf(ec2, requests);
        // A volume still in its own region (never launched) is attached to none of the launch region's
        // instances: nothing to wait for there.
        Optional<VolumeInfo> volume = Optional.of(found)
                .filter(v -> Zones.regionOf(v.zone()).orElse("").equals(ec2.region()));
        StopPlan plan = StopPlan.of(requests, instances, volume);
        if (plan.nothingToEnd()) {
            progress.result("Nothing to stop: no live ec2spotter spot request and no running instance for volume '"
                    + name + "' (" + found.id() + ") in " + settings.region());
        } else {
            if (!confirm.test(plan)) {
                return false;
            }
            cancel(plan);
            terminate(plan, settings.region());
        }
        plan.foreignAttachment().ifPresent(i -> progress.warn("volume " + found.id() + " is attached to "
                + "instance " + i + ", which no ec2spotter request started; stop left it alone"));
        if (plan.waitForVolume()) {
            progress.info("Waiting for volume " + found.id() + " to become available (up to " + limit.toSeconds()
                    + " s)");
            ec2.awaitVolumeAvailable(found.id(), limit);
            progress.result("Volume '" + name + "' (" + found.id() + ") is available");
        } else if (plan.foreignAttachment().isEmpty()) {
            progress.result("Volume '" + name + "' (" + found.id() + ") is " + found.state());
        }
        return true;
    }

    private void cancel(StopPlan plan) {
        if (plan.cancel().isEmpty()) {
            return;
        }
        Map<String, String> cancelled = ec2.cancelSpotRequests(plan.cancel().stream().map(SpotRequestInfo::id).toList());
        plan.cancel().forEach(r -> progress.result("Cancelled spot request " + r.id() + " (was " + r.state()
                + ", now " + cancelled.getOrDefault(r.id(), "unknown") + ")"));
    }

    private void terminate(StopPlan plan, String region) {
        if (plan.terminate().isEmpty()) {
            return;
        }
        List<String> ids = plan.terminate().stream().map(InstanceInfo::id).toList();
        Map<String, String> terminating;
        try {
            terminating = ec2.terminateInstances(ids);
        } catch (Failure e) {
            // Half-way: the requests are cancelled, so nothing relaunches, but the instances still bill.
            throw new Failure(e.getMessage() + "; the spot requests are cancelled but "
                    + String.join(", ", ids) + " still run: terminate them with: aws ec2 terminate-instances"
                    + " --region " + region + " --instance-ids " + String.join(" ", ids), e);
        }
        plan.terminate().forEach(i -> progress.result("Terminating instance " + i.id() + " (was " + i.state()
                + ", now " + terminating.getOrDefault(i.id(), "unknown") + ")"));
    }
}
