package io.github.ec2spotter.cli;

import io.github.ec2spotter.ExitCodes;
import io.github.ec2spotter.aws.Ec2Gateway;
import io.github.ec2spotter.aws.ImageInfo;
import io.github.ec2spotter.aws.SpotRequest;
import io.github.ec2spotter.aws.VolumeInfo;
import io.github.ec2spotter.boot.BootScript;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.plan.LaunchPlan;
import io.github.ec2spotter.plan.VolumeCheck;
import io.github.ec2spotter.text.Printable;
import java.util.Map;
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

    @Mixin
    BootEndpointOptions bootEndpoints;

    /** Where AWS_ENDPOINT_URL_EC2 and friends are read; the cache training points it at its loopback stub. */
    Map<String, String> environment = System.getenv();

    @Override
    int run() {
        LaunchSettings settings = conf.settings(console, Optional.ofNullable(instanceType));
        var credentials = conf.credentials(console);
        if (settings.iamInstanceProfile().isEmpty() && !settings.embedCredentials()) {
            console.warn("ec2spotter_iam_instance_profile is not set: the boot script signs its EC2 calls with "
                    + "the instance profile's credentials and cannot attach the volume without one");
        }
        try (Ec2Gateway ec2 = Ec2Gateway.connect(credentials, settings.volumeRegion(), environment)) {
            VolumeInfo volume = VolumeCheck.choose(settings, ec2.findVolumesByName(settings.volumeName()),
                    ec2::instanceState);
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
            return ExitCodes.OK;
        }
    }

    private static byte[] userData(BootScript boot) {
        try {
            return boot.userData();
        } catch (IllegalStateException tooLarge) {
            throw new io.github.ec2spotter.Failure("cannot launch: " + tooLarge.getMessage());
        }
    }
}
