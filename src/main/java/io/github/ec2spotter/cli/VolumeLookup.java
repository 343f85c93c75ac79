package io.github.ec2spotter.cli;

import io.github.ec2spotter.aws.Ec2Gateway;
import io.github.ec2spotter.aws.VolumeInfo;
import io.github.ec2spotter.config.LaunchSettings;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Finds the persistent volume for the commands that only look at it (status, stop, prices). */
final class VolumeLookup {
    private VolumeLookup() {
    }

    /**
     * The volume named in the conf, in the gateway's region: the one in the launch zone when
     * several carry the name (a move left half-way), empty when there is none.
     */
    static Optional<VolumeInfo> inRegion(LaunchSettings settings, Ec2Gateway ec2) {
        List<VolumeInfo> found = ec2.findVolumesByName(settings.volumeName());
        return found.stream()
                .min(Comparator.comparing((VolumeInfo v) -> !v.zone().equals(settings.launchZone()))
                        .thenComparing(VolumeInfo::id));
    }
}
