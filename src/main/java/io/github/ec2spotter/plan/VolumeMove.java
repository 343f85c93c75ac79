package io.github.ec2spotter.plan;

import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.config.Zones;
import io.github.ec2spotter.model.VolumeInfo;
import java.util.Optional;

/**
 * Moving the persistent volume to the launch zone: snapshot, copy the snapshot when the region
 * changes, a new volume from it in the launch zone, then the names swap. The old volume and the
 * snapshots stay: nothing is deleted for the user. Pure: names, tags and the messages that say
 * what exists when a step fails.
 */
public record VolumeMove(String name, String volumeId, String fromZone, String fromRegion, String toZone,
                         String toRegion) {
    /** The move a launch needs, empty when the volume is already in the launch zone. */
    public static Optional<VolumeMove> needed(LaunchSettings settings, VolumeInfo volume) {
        if (volume.zone().equals(settings.launchZone())) {
            return Optional.empty();
        }
        return Optional.of(new VolumeMove(settings.volumeName(), volume.id(), volume.zone(),
                Zones.regionOf(volume.zone()).orElse(settings.volumeRegion()), settings.launchZone(), settings.region()));
    }

    public boolean crossRegion() {
        return !fromRegion.equals(toRegion);
    }

    public String description() {
        return "ec2spotter: volume " + volumeId + " (" + name + ") moved from " + fromZone + " to " + toZone;
    }

    /** The old volume's new Name, so that only the moved copy answers to the name. */
    public String oldVolumeName(String newVolumeId) {
        return name + "-moved-to-" + newVolumeId;
    }

    /**
     * The failure message for a move that stopped half-way: what exists, how to finish by hand,
     * and what to delete when giving up. Nothing has been deleted.
     */
    public String halfway(String cause, Optional<String> snapshotId, Optional<String> copyId,
                          Optional<String> newVolumeId, boolean oldRenamed) {
        StringBuilder m = new StringBuilder("moving volume ").append(volumeId).append(" (Name=").append(name)
                .append(") from ").append(fromZone).append(" to ").append(toZone).append(" stopped: ").append(cause)
                .append(". Nothing was deleted. Exists now: volume ").append(volumeId).append(" in ").append(fromZone)
                .append(oldRenamed ? " (renamed " + oldVolumeName(newVolumeId.orElse("?")) + ")" : " (unchanged)");
        snapshotId.ifPresent(s -> m.append(", snapshot ").append(s).append(" in ").append(fromRegion));
        copyId.ifPresent(s -> m.append(", snapshot copy ").append(s).append(" in ").append(toRegion));
        newVolumeId.ifPresent(v -> m.append(", new volume ").append(v).append(" in ").append(toZone));
        m.append(". ");
        if (newVolumeId.isPresent()) {
            String v = newVolumeId.get();
            m.append("To finish: wait until ").append(v).append(" is available, ");
            if (!oldRenamed) {
                m.append("tag ").append(volumeId).append(" Name=").append(oldVolumeName(v)).append(", ");
            }
            m.append("tag ").append(v).append(" Name=").append(name).append(" and run launch again. To give up: delete ")
                    .append(v);
        } else {
            m.append("To finish: run launch --move-volume again. To give up: delete");
        }
        snapshotId.ifPresent(s -> m.append(" ").append(s));
        copyId.ifPresent(s -> m.append(" ").append(s));
        if (newVolumeId.isEmpty() && snapshotId.isEmpty()) {
            m.append(" nothing");
        }
        return m.toString();
    }
}
