package io.github.ec2spotter.ops;

import io.github.ec2spotter.boot.BootScript;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.AccessKeys;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.ImageInfo;
import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotRequest;
import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.model.VolumeInfo;
import io.github.ec2spotter.plan.DuplicateGuard;
import io.github.ec2spotter.plan.LaunchPlan.BootEndpoints;
import io.github.ec2spotter.plan.LaunchPlan;
import io.github.ec2spotter.plan.VolumeCheck;
import io.github.ec2spotter.plan.VolumeMove;
import io.github.ec2spotter.text.Printable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code launch}: finds and checks the volume (in its own region), refuses a second live request
 * for it, moves it to the launch zone when asked, then requests the spot instance (or asks EC2
 * whether it would accept the request) and, when asked, waits for the instance.
 */
public final class Launch {
    /**
     * How the launch goes; {@code timeout} bounds each wait (a move's steps, the instance);
     * {@code stopCommand} is the stop command line for these same files and profile, for the
     * duplicate guard's hint to give in full.
     */
    public record Options(boolean dryRun, boolean force, boolean moveVolume, boolean waitForInstance, Duration timeout,
                          BootEndpoints bootEndpoints, String stopCommand) {
    }

    /** The running instance, when {@code waitForInstance} asked for it; empty otherwise. */
    public record Result(Optional<InstanceInfo> instance) {
    }

    private final Ec2.Connector connector;
    private final Progress progress;
    private final Lookahead lookahead;

    /** {@code lookahead} makes the AMI lookup, which needs nothing of the volume's checks, beside them or after them. */
    public Launch(Ec2.Connector connector, Progress progress, Lookahead lookahead) {
        this.connector = connector;
        this.progress = progress;
        this.lookahead = lookahead;
    }

    public Result run(LaunchSettings settings, Options options) {
        if (settings.iamInstanceProfile().isEmpty() && !settings.embedCredentials()) {
            progress.warn("ec2spotter_iam_instance_profile is not set: the boot script signs its EC2 calls with "
                    + "the instance profile's credentials and cannot attach the volume without one");
        }
        try (Ec2 ec2 = connector.connect(settings.region())) {
            Supplier<ImageInfo> image = lookahead.start("DescribeImages", () -> ec2.findImage(settings.prebootImageId()));
            VolumeInfo volume = volumeToUse(settings, ec2, options);
            progress.info("Volume '" + Printable.of(settings.volumeName()) + "' is " + volume.id() + " ("
                    + volume.type() + ", " + volume.sizeGib() + " GiB, " + volume.state() + ") in " + volume.zone());
            ImageInfo ami = image.get();
            Optional<AccessKeys> keys = Optional.empty();
            if (settings.embedCredentials()) {
                progress.warn("ec2spotter_embed_credentials=yes: your AWS keys go into the user-data, which every "
                        + "process on the instance can read from the metadata service for the instance's whole life;"
                        + " prefer ec2spotter_iam_instance_profile");
                keys = Optional.of(ec2.resolveKeys());
            }
            BootScript boot = LaunchPlan.bootScript(settings, Optional.of(volume.id()), options.bootEndpoints(), keys);
            SpotRequest spot = LaunchPlan.spotRequest(settings, volume, ami, userData(boot));
            if (options.dryRun()) {
                ec2.checkSpotRequest(spot);
                progress.result("Dry run: EC2 would accept the " + settings.requestType().word() + " spot request for "
                        + settings.instanceType() + " in " + settings.launchZone() + " (nothing was requested)");
                return new Result(Optional.empty());
            }
            String requestId = ec2.requestSpotInstance(spot);
            progress.result("Spot request " + requestId + " (" + settings.requestType().word() + ") for volume '"
                    + Printable.of(settings.volumeName()) + "' (" + volume.id() + ") in " + settings.launchZone());
            if (!options.waitForInstance()) {
                return new Result(Optional.empty());
            }
            return new Result(Optional.of(InstanceWait.until(progress, ec2, requestId, options.timeout())));
        }
    }

    /** The checked volume, found in the volume's region; {@code ec2} is in the launch region. */
    private VolumeInfo volumeToUse(LaunchSettings settings, Ec2 ec2, Options options) {
        if (settings.volumeRegion().equals(ec2.region())) {
            return volumeToUse(settings, ec2, ec2, options);
        }
        try (Ec2 volumeEc2 = connector.connect(settings.volumeRegion())) {
            return volumeToUse(settings, volumeEc2, ec2, options);
        }
    }

    /** Refused when a live request already uses the volume; moved to the launch zone first with --move-volume. */
    private VolumeInfo volumeToUse(LaunchSettings settings, Ec2 volumeEc2, Ec2 ec2, Options options) {
        List<VolumeInfo> found = volumeEc2.findVolumesByName(settings.volumeName());
        // Before the volume checks: a volume held by the instance of a live request is best explained by the request.
        if (found.size() == 1) {
            String id = found.get(0).id();
            List<SpotRequestInfo> requests = ec2.findSpotRequestsForVolume(id);
            if (options.force()) {
                DuplicateGuard.forcedPast(id, requests).ifPresent(progress::warn);
            } else {
                DuplicateGuard.refusal(id, requests, options.stopCommand()).ifPresent(message -> {
                    throw new Failure(message);
                });
            }
        }
        VolumeInfo volume = VolumeCheck.choose(settings, found, volumeEc2::instanceState, options.moveVolume());
        Optional<VolumeMove> move = VolumeMove.needed(settings, volume);
        if (move.isEmpty()) {
            return volume;
        }
        if (options.dryRun()) {
            progress.info("Dry run: volume " + volume.id() + " would be moved from " + volume.zone() + " to "
                    + settings.launchZone() + " (nothing was moved)");
            return volume;
        }
        VolumeInfo moved = new VolumeMover(progress, volumeEc2, ec2, options.timeout()).move(move.get());
        if (!settings.volumeZone().equals(settings.launchZone())) {
            progress.warn("the volume now lives in " + settings.launchZone() + ": set ec2spotter_volume_zone="
                    + settings.launchZone() + " in " + settings.confFile() + " (or remove the line)");
        }
        return moved;
    }

    private static byte[] userData(BootScript boot) {
        try {
            return boot.userData();
        } catch (IllegalStateException tooLarge) {
            throw new Failure("cannot launch: " + tooLarge.getMessage());
        }
    }
}
