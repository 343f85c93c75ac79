package io.github.ec2spotter.plan;

import io.github.ec2spotter.boot.BootParameters;
import io.github.ec2spotter.boot.BootScript;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.model.AccessKeys;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.ImageInfo;
import io.github.ec2spotter.model.SpotRequest;
import io.github.ec2spotter.model.Tags;
import io.github.ec2spotter.model.VolumeInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What to ask EC2 for: the boot script and the spot request that carries it. Pure: no I/O. */
public final class LaunchPlan {
    private LaunchPlan() {
    }

    /**
     * Where the boot script sends its EC2 and metadata calls. Both default to the real services
     * (the script names EC2's endpoint from the partition's domain IMDS gives it); tests point
     * them at loopback.
     */
    public record BootEndpoints(Optional<String> ec2, Optional<String> imds) {
    }

    /** The boot script's parameters. The volume id is empty when it is not known yet (user-data without AWS). */
    public static BootScript bootScript(LaunchSettings settings, Optional<String> volumeId, BootEndpoints endpoints,
                                        Optional<AccessKeys> embeddedKeys) {
        return BootScript.render(new BootParameters(volumeId, settings.volumeName(), settings.region(), endpoints.ec2(),
                endpoints.imds(), settings.elasticIp(), settings.instanceName(), settings.interruptionHooks(),
                settings.keepHostKeys(), settings.kernel().word(), embeddedKeys));
    }

    /** The spot request for a checked volume and image. */
    public static SpotRequest spotRequest(LaunchSettings settings, VolumeInfo volume, ImageInfo image, byte[] userData) {
        int snapshotGib = image.rootSnapshotGib().orElse(0);
        int rootSizeGib = settings.rootSizeGib().orElse(Math.max(LaunchSettings.DEFAULT_ROOT_SIZE_GIB, snapshotGib));
        if (snapshotGib > rootSizeGib) {
            throw new Failure("AMI " + image.id() + " has a " + snapshotGib
                    + " GiB root snapshot; set ec2spotter_root_size_gib to at least that (it is " + rootSizeGib + ")");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(Tags.NAME, settings.volumeName());
        tags.put(Tags.VOLUME, volume.id());
        return new SpotRequest(
                settings.prebootImageId(),
                settings.instanceType(),
                settings.launchZone(),
                settings.keyName(),
                settings.subnet(),
                settings.securityGroups(),
                settings.iamInstanceProfile(),
                image.rootDeviceName(),
                rootSizeGib,
                settings.bidPrice(),
                settings.requestType().word(),
                settings.interruptionBehavior().word(),
                userData,
                tags);
    }
}
