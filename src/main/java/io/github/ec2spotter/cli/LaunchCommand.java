package io.github.ec2spotter.cli;

import io.github.ec2spotter.ExitCodes;
import io.github.ec2spotter.Failure;
import io.github.ec2spotter.aws.Ec2Gateway;
import io.github.ec2spotter.aws.ImageInfo;
import io.github.ec2spotter.aws.InstanceInfo;
import io.github.ec2spotter.aws.SpotRequest;
import io.github.ec2spotter.aws.VolumeInfo;
import io.github.ec2spotter.boot.BootScript;
import io.github.ec2spotter.config.Credentials;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.plan.DuplicateGuard;
import io.github.ec2spotter.plan.LaunchPlan;
import io.github.ec2spotter.plan.LaunchWait;
import io.github.ec2spotter.plan.VolumeCheck;
import io.github.ec2spotter.plan.VolumeMove;
import io.github.ec2spotter.text.Printable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "launch", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Request a persistent spot instance that boots from your EBS volume.",
        footer = {"", "Exit codes: 0 done, 1 AWS or runtime failure, 2 bad options, conf or credentials file."})
final class LaunchCommand extends BaseCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = "--instance-type", paramLabel = "TYPE", description = "Override ec2spotter_instance_type.")
    String instanceType;

    @Option(names = "--dry-run", description = "Ask EC2 whether the request would succeed (its DryRun flag); request nothing.")
    boolean dryRun;

    @Option(names = "--wait", description = "Wait until the instance runs (showing progress on a terminal), then "
            + "print its id, public address and an ssh line. Stops early when the request cannot be fulfilled.")
    boolean waitForInstance;

    @Option(names = "--ssh-user", paramLabel = "USER", defaultValue = "ubuntu",
            description = "Login user for the ssh line of --wait (default: ${DEFAULT-VALUE}).")
    String sshUser;

    @Option(names = "--force", description = "Request even when a live ec2spotter request exists for the volume.")
    boolean force;

    @Option(names = "--move-volume", description = "When the volume is in another zone than ec2spotter_launch_zone: "
            + "snapshot it, copy the snapshot across regions if needed, create a volume like it in the launch zone, "
            + "rename the old one <name>-moved-to-<new id>, then launch. Nothing is deleted.")
    boolean moveVolume;

    @Mixin
    TimeoutOption timeout;

    @Mixin
    BootEndpointOptions bootEndpoints;

    @Override
    int run() {
        LaunchSettings settings = conf.settings(console, Optional.ofNullable(instanceType));
        var credentials = conf.credentials(console);
        if (settings.iamInstanceProfile().isEmpty() && !settings.embedCredentials()) {
            console.warn("ec2spotter_iam_instance_profile is not set: the boot script signs its EC2 calls with "
                    + "the instance profile's credentials and cannot attach the volume without one");
        }
        Duration limit = timeout.duration();
        try (Ec2Gateway ec2 = Ec2Gateway.connect(credentials, settings.region(), environment)) {
            VolumeInfo volume = volumeToUse(settings, credentials, ec2, limit);
            console.info("Volume '" + Printable.of(settings.volumeName()) + "' is " + volume.id() + " ("
                    + volume.type() + ", " + volume.sizeGib() + " GiB, " + volume.state() + ") in " + volume.zone());
            ImageInfo image = ec2.findImage(settings.prebootImageId());
            Optional<Ec2Gateway.ResolvedKeys> keys = Optional.empty();
            if (settings.embedCredentials()) {
                console.warn("ec2spotter_embed_credentials=yes: your AWS keys go into the user-data, which every "
                        + "process on the instance can read from the metadata service for the instance's whole life;"
                        + " prefer ec2spotter_iam_instance_profile");
                keys = Optional.of(ec2.resolveKeys());
            }
            BootScript boot = LaunchPlan.bootScript(settings, Optional.of(volume.id()), bootEndpoints.endpoints(), keys);
            SpotRequest spot = LaunchPlan.spotRequest(settings, volume, image, userData(boot));
            if (dryRun) {
                ec2.checkSpotRequest(spot);
                console.result("Dry run: EC2 would accept the " + settings.requestType().word() + " spot request for "
                        + settings.instanceType() + " in " + settings.launchZone() + " (nothing was requested)");
                return ExitCodes.OK;
            }
            String requestId = ec2.requestSpotInstance(spot);
            console.result("Spot request " + requestId + " (" + settings.requestType().word() + ") for volume '"
                    + Printable.of(settings.volumeName()) + "' (" + volume.id() + ") in " + settings.launchZone());
            if (waitForInstance) {
                printReady(InstanceWait.until(console, ec2, requestId, limit));
            }
            return ExitCodes.OK;
        }
    }

    /**
     * The checked volume, found in the volume's region; refused when a live request already uses
     * it; moved to the launch zone first with {@code --move-volume}. {@code ec2} is in the launch region.
     */
    private VolumeInfo volumeToUse(LaunchSettings settings, Credentials credentials, Ec2Gateway ec2, Duration limit) {
        if (settings.volumeRegion().equals(ec2.region())) {
            return volumeToUse(settings, ec2, ec2, limit);
        }
        try (Ec2Gateway volumeEc2 = Ec2Gateway.connect(credentials, settings.volumeRegion(), environment)) {
            return volumeToUse(settings, volumeEc2, ec2, limit);
        }
    }

    private VolumeInfo volumeToUse(LaunchSettings settings, Ec2Gateway volumeEc2, Ec2Gateway ec2, Duration limit) {
        List<VolumeInfo> found = volumeEc2.findVolumesByName(settings.volumeName());
        // Before the volume checks: a volume held by the instance of a live request is best explained by the request.
        if (!force && found.size() == 1) {
            String id = found.get(0).id();
            DuplicateGuard.refusal(id, ec2.findSpotRequestsForVolume(id), settings.confFile().toString())
                    .ifPresent(message -> {
                        throw new Failure(message);
                    });
        }
        VolumeInfo volume = VolumeCheck.choose(settings, found, volumeEc2::instanceState, moveVolume);
        Optional<VolumeMove> move = VolumeMove.needed(settings, volume);
        if (move.isEmpty()) {
            return volume;
        }
        if (dryRun) {
            console.info("Dry run: volume " + volume.id() + " would be moved from " + volume.zone() + " to "
                    + settings.launchZone() + " (nothing was moved)");
            return volume;
        }
        VolumeInfo moved = new VolumeMover(console, volumeEc2, ec2, limit).move(move.get());
        if (!settings.volumeZone().equals(settings.launchZone())) {
            console.warn("the volume now lives in " + settings.launchZone() + ": set ec2spotter_volume_zone="
                    + settings.launchZone() + " in " + settings.confFile() + " (or remove the line)");
        }
        return moved;
    }

    private void printReady(InstanceInfo instance) {
        console.result("Instance " + instance.id() + " is running");
        instance.publicIp().ifPresent(ip -> console.result("Public IP " + ip));
        instance.publicDns().ifPresent(dns -> console.result("Public DNS " + dns));
        LaunchWait.sshLine(instance, sshUser).ifPresentOrElse(
                line -> console.result(line + "    # it reboots once into your volume: give it a minute"),
                () -> console.result("No public address: reach it through its VPC (private network, VPN, SSM)"));
    }

    private static byte[] userData(BootScript boot) {
        try {
            return boot.userData();
        } catch (IllegalStateException tooLarge) {
            throw new io.github.ec2spotter.Failure("cannot launch: " + tooLarge.getMessage());
        }
    }
}
