package io.github.ec2spotter.ops;

import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.config.Zones;
import io.github.ec2spotter.ec2.Ebs;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.SnapshotInfo;
import io.github.ec2spotter.model.Tags;
import io.github.ec2spotter.model.VolumeInfo;
import io.github.ec2spotter.plan.SnapshotRetention;
import io.github.ec2spotter.text.Json;
import io.github.ec2spotter.text.Printable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code snapshot}: an EBS snapshot of the volume, tagged so that {@code --keep} can find the
 * ones ec2spotter took, and, with {@code --keep N}, the deletion of the oldest of those beyond N.
 * A snapshot of a volume in use is crash-consistent (what a power cut leaves); the description
 * says so.
 */
public final class VolumeSnapshot {
    private final Ec2 launchRegion;
    private final Ec2.Connector connector;
    private final Progress progress;

    /** {@code launchRegion} is EC2 where the volume is looked for first; {@code connector} reaches the volume's own region. */
    public VolumeSnapshot(Ec2 launchRegion, Ec2.Connector connector, Progress progress) {
        this.launchRegion = launchRegion;
        this.connector = connector;
        this.progress = progress;
    }

    /** What was taken and what {@code --keep} deleted or had to keep. */
    public record Outcome(String volumeName, VolumeInfo volume, String region, String snapshotId, boolean completed,
                          String description, List<String> deleted, List<String> keptBack) implements Report {
        @Override
        public String json() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("volumeName", volumeName);
            doc.put("volumeId", volume.id());
            doc.put("region", region);
            doc.put("snapshotId", snapshotId);
            doc.put("completed", completed);
            doc.put("description", description);
            doc.put("deleted", deleted);
            doc.put("keptBack", keptBack);
            return Json.write(doc);
        }

        @Override
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            lines.add("Snapshot " + snapshotId + " of volume '" + Printable.of(volumeName) + "' (" + volume.id() + ") in "
                    + region + (completed ? ": completed" : ": started (EBS completes it in the background)"));
            deleted.forEach(id -> lines.add("Deleted snapshot " + id));
            return lines;
        }
    }

    /**
     * @param waitFor with a duration, waits until the snapshot is completed, up to that long
     * @param keep with N, deletes the volume's ec2spotter snapshots beyond the newest N afterwards
     */
    public Outcome take(LaunchSettings settings, Instant now, Optional<Duration> waitFor, OptionalInt keep) {
        VolumeInfo volume = VolumeLookup.named(settings, launchRegion, connector);
        String region = Zones.regionOf(volume.zone()).orElse(launchRegion.region());
        if (region.equals(launchRegion.region())) {
            return take(settings, volume, launchRegion, now, waitFor, keep);
        }
        try (Ec2 volumeRegion = connector.connect(region)) {
            return take(settings, volume, volumeRegion, now, waitFor, keep);
        }
    }

    private Outcome take(LaunchSettings settings, VolumeInfo volume, Ec2 ec2, Instant now, Optional<Duration> waitFor,
                         OptionalInt keep) {
        String description = description(settings.volumeName(), volume, now);
        Map<String, String> tags = Map.of(Tags.VOLUME, volume.id(), Tags.NAME, settings.volumeName());
        String id = ec2.snapshotVolume(volume.id(), description, tags);
        progress.info("Started snapshot " + id + " of " + volume.id() + (volume.attachment().isPresent()
                ? " (attached to " + volume.attachment().get().instanceId() + ": crash-consistent)" : ""));
        if (waitFor.isPresent()) {
            progress.info("Waiting for snapshot " + id + " to complete (up to " + waitFor.get().toSeconds() + " s)");
            ec2.awaitSnapshotCompleted(id, waitFor.get());
        }
        List<String> deleted = new ArrayList<>();
        List<String> keptBack = new ArrayList<>();
        if (keep.isPresent()) {
            try {
                prune(ec2.ebs(), volume.id(), new SnapshotInfo(id, volume.id(), "pending", now, ec2.region(), tags),
                        keep.getAsInt(), deleted, keptBack);
            } catch (Failure e) {
                throw new Failure("snapshot " + id + " of " + volume.id() + " was taken, then --keep stopped: "
                        + e.getMessage() + (deleted.isEmpty() ? "; nothing was deleted" : "; deleted before that: "
                        + String.join(", ", deleted)), e);
            }
        }
        return new Outcome(settings.volumeName(), volume, ec2.region(), id, waitFor.isPresent(), description, deleted,
                keptBack);
    }

    /**
     * Deletes what {@link SnapshotRetention} puts beyond N, except a snapshot an AMI is registered
     * from: EC2 refuses to delete it, and the AMI would be useless without it. That one stays, on top
     * of the N, with a warning naming the AMI.
     */
    private void prune(Ebs ebs, String volumeId, SnapshotInfo taken, int keep, List<String> deleted,
                       List<String> keptBack) {
        List<SnapshotInfo> ours = new ArrayList<>(ebs.snapshotsTagged(Tags.VOLUME, volumeId));
        // EC2's lists are eventually consistent: the snapshot just taken counts even when not listed yet.
        if (ours.stream().noneMatch(s -> s.id().equals(taken.id()))) {
            ours.add(taken);
        }
        SnapshotRetention retention = SnapshotRetention.of(volumeId, ours, keep);
        if (retention.beyond().isEmpty()) {
            progress.info("Keeping all " + retention.kept().size() + " ec2spotter snapshots of " + volumeId);
            return;
        }
        Map<String, String> images = ebs.imagesBySnapshot();
        for (SnapshotInfo s : retention.beyond()) {
            String image = images.get(s.id());
            if (image != null) {
                progress.warn("snapshot " + s.id() + " (" + s.started() + ") is kept: AMI " + image
                        + " is registered from it (deregister the AMI to let --keep delete it)");
                keptBack.add(s.id());
            } else {
                ebs.deleteSnapshot(s.id());
                deleted.add(s.id());
            }
        }
    }

    /** When and from what, and that it is crash-consistent; within EC2's 255 characters. */
    static String description(String volumeName, VolumeInfo volume, Instant now) {
        String name = volumeName.length() <= 80 ? volumeName : volumeName.substring(0, 77) + "...";
        return "ec2spotter snapshot of " + volume.id() + " (Name=" + name + ") at "
                + now.truncatedTo(ChronoUnit.SECONDS) + "; crash-consistent: taken while the system may be running";
    }
}
