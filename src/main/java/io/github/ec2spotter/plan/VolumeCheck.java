package io.github.ec2spotter.plan;

import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.States;
import io.github.ec2spotter.model.VolumeInfo;
import io.github.ec2spotter.text.Printable;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Picks the one persistent volume a launch may use, or says exactly why there is none. */
public final class VolumeCheck {
    private VolumeCheck() {
    }

    /**
     * The one volume tagged with the conf's name: the rule every command that finds the volume by
     * name applies, with the same messages. None is an error (a typo in the name must not read as
     * "nothing running"); two or more are an error naming each, since picking one could stop,
     * attach or report the wrong disk.
     *
     * @param found the volumes tagged with the conf's name in {@code where}
     * @param where the region or regions searched, as the message should name them
     */
    public static VolumeInfo unique(LaunchSettings settings, List<VolumeInfo> found, String where) {
        String name = Printable.of(settings.volumeName());
        if (found.isEmpty()) {
            throw new Failure("no EBS volume tagged Name=" + name + " in " + where
                    + " (check ec2spotter_volume_name and ec2spotter_volume_zone in " + settings.confFile() + ")");
        }
        if (found.size() > 1) {
            throw new Failure(found.size() + " EBS volumes are tagged Name=" + name + " in " + where
                    + ": " + found.stream().map(v -> v.id() + " (" + v.zone() + ")").collect(Collectors.joining(", "))
                    + "; give the persistent volume a unique Name tag");
        }
        return found.get(0);
    }

    /**
     * @param found         the volumes tagged with the conf's name, in the volume's region
     * @param instanceState the state of an instance, empty when EC2 does not know it
     * @param moveAllowed   accept a volume in another zone, for {@code launch --move-volume} to move
     */
    public static VolumeInfo choose(LaunchSettings settings, List<VolumeInfo> found,
                                    Function<String, Optional<String>> instanceState, boolean moveAllowed) {
        String name = Printable.of(settings.volumeName());
        VolumeInfo volume = unique(settings, found, settings.volumeRegion());
        if (!moveAllowed && !volume.zone().equals(settings.launchZone())) {
            throw new Failure("volume " + volume.id() + " (Name=" + name + ") is in " + volume.zone()
                    + " but ec2spotter_launch_zone is " + settings.launchZone()
                    + "; an instance can only attach a volume in its own zone: set ec2spotter_launch_zone="
                    + volume.zone() + ", or run launch --move-volume to copy the volume to " + settings.launchZone());
        }
        for (VolumeInfo.Attachment a : volume.attachments()) {
            Optional<String> state = instanceState.apply(a.instanceId());
            if (state.isPresent() && States.INSTANCE_HOLDING.contains(state.get())) {
                throw new Failure("volume " + volume.id() + " (Name=" + name + ") is attached to instance "
                        + a.instanceId() + " (" + state.get() + ") as " + a.device()
                        + "; stop that instance and detach the volume first");
            }
        }
        return volume;
    }
}
