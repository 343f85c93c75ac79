package io.github.ec2spotter.ops;

import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.model.VolumeInfo;
import io.github.ec2spotter.plan.VolumeCheck;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The look-ups the commands after launch (status, logs, stop, ssh, snapshot, cleanup, prices) share. The volume is
 * found by name with {@link VolumeCheck#unique}'s rule, the one launch applies: exactly one
 * volume answers to the name, or the command fails before it changes or reports anything.
 */
final class VolumeLookup {
    private VolumeLookup() {
    }

    /**
     * The volume named in the conf: in {@code ec2}'s region (the launch region, where a launched or
     * moved volume lives), else in the conf's volume region when that is another.
     */
    static VolumeInfo named(LaunchSettings settings, Ec2 ec2, Ec2.Connector connector) {
        List<VolumeInfo> found = ec2.findVolumesByName(settings.volumeName());
        String where = ec2.region();
        if (found.isEmpty() && !settings.volumeRegion().equals(ec2.region())) {
            try (Ec2 volumeEc2 = connector.connect(settings.volumeRegion())) {
                found = volumeEc2.findVolumesByName(settings.volumeName());
            }
            where = found.isEmpty() ? ec2.region() + " or " + settings.volumeRegion() : settings.volumeRegion();
        }
        return VolumeCheck.unique(settings, found, where);
    }

    /**
     * The volume named in the conf when it is in {@code ec2}'s region (prices may be asked for any
     * region); several with the name are the same error as for {@link #named}.
     */
    static Optional<VolumeInfo> inRegionIfAny(LaunchSettings settings, Ec2 ec2) {
        List<VolumeInfo> found = ec2.findVolumesByName(settings.volumeName());
        return found.isEmpty() ? Optional.empty() : Optional.of(VolumeCheck.unique(settings, found, ec2.region()));
    }

    /** The instances these requests started, as EC2 still knows them, by id. */
    static Map<String, InstanceInfo> instancesOf(Ec2 ec2, List<SpotRequestInfo> requests) {
        Set<String> instanceIds = new TreeSet<>();
        requests.forEach(r -> r.instanceId().ifPresent(instanceIds::add));
        return ec2.findInstances(instanceIds);
    }
}
