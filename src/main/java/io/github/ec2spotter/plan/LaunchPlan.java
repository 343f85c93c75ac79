package io.github.ec2spotter.plan;

import io.github.ec2spotter.Failure;
import io.github.ec2spotter.aws.Ec2Gateway.ResolvedKeys;
import io.github.ec2spotter.aws.ImageInfo;
import io.github.ec2spotter.aws.SpotRequest;
import io.github.ec2spotter.aws.VolumeInfo;
import io.github.ec2spotter.boot.BootScript;
import io.github.ec2spotter.config.LaunchSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What to ask EC2 for: the boot script and the spot request that carries it. Pure: no I/O. */
public final class LaunchPlan {
    /** Tag on the spot request naming the volume it serves; later commands find their requests by it. */
    public static final String VOLUME_TAG = SpotRequest.VOLUME_TAG;

    private LaunchPlan() {
    }

    /**
     * Where the boot script sends its EC2 and metadata calls. Both default to the real services
     * (the script names EC2's endpoint from the partition's domain IMDS gives it); tests point
     * them at loopback.
     */
    public record BootEndpoints(Optional<String> ec2, Optional<String> imds) {
        public static BootEndpoints real() {
            return new BootEndpoints(Optional.empty(), Optional.empty());
        }
    }

    /** The boot script's parameters. The volume id is empty when it is not known yet (user-data without AWS). */
    public static BootScript bootScript(LaunchSettings settings, Optional<String> volumeId, BootEndpoints endpoints,
                                        Optional<ResolvedKeys> embeddedKeys) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("volume_id", volumeId.orElse(""));
        p.put("volume_name", settings.volumeName());
        p.put("region", settings.region());
        endpoints.ec2().ifPresent(url -> p.put("ec2_endpoint", url));
        endpoints.imds().ifPresent(url -> p.put("imds_url", url));
        p.put("elastic_ip", settings.elasticIp().orElse(""));
        p.put("instance_name", settings.instanceName().orElse(""));
        p.put("interruption_hooks", settings.interruptionHooks() ? "yes" : "no");
        embeddedKeys.ifPresent(k -> {
            p.put("access_key_id", k.accessKeyId());
            p.put("secret_access_key", k.secretAccessKey());
            p.put("session_token", k.sessionToken().orElse(""));
        });
        return BootScript.render(p);
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
        tags.put("Name", settings.volumeName());
        tags.put(VOLUME_TAG, volume.id());
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
