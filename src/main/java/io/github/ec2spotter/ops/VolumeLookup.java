package io.github.ec2spotter.ops;

import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.model.VolumeInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The look-ups the commands that only look (status, stop, prices) share. */
final class VolumeLookup {
    private VolumeLookup() {
    }

    /**
     * The volume named in the conf, in {@code ec2}'s region: the one in the launch zone when
     * several carry the name (a move left half-way), empty when there is none.
     */
    static Optional<VolumeInfo> inRegion(LaunchSettings settings, Ec2 ec2) {
        List<VolumeInfo> found = ec2.findVolumesByName(settings.volumeName());
        return found.stream()
                .min(Comparator.comparing((VolumeInfo v) -> !v.zone().equals(settings.launchZone()))
                        .thenComparing(VolumeInfo::id));
    }

    /** The instances these requests started, as EC2 still knows them, by id. */
    static Map<String, InstanceInfo> instancesOf(Ec2 ec2, List<SpotRequestInfo> requests) {
        Set<String> instanceIds = new TreeSet<>();
        requests.forEach(r -> r.instanceId().ifPresent(instanceIds::add));
        return ec2.findInstances(instanceIds);
    }
}
