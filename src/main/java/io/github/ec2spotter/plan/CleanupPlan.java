package io.github.ec2spotter.plan;

import io.github.ec2spotter.model.SnapshotInfo;
import io.github.ec2spotter.model.TaggedVolume;
import io.github.ec2spotter.model.Tags;
import io.github.ec2spotter.text.Printable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code cleanup}: what {@code launch --move-volume} left behind and may go. A move leaves the old
 * volume, renamed {@code <name>-moved-to-<new id>} ({@link VolumeMove#oldVolumeName}), and the
 * snapshot it took, with its copy in the launch region after a move across regions, both tagged
 * {@link Tags#MOVED_FROM} with the old volume's id. The new volume carries that tag too and is the
 * one in use: it is never deleted, and neither is any volume that has the Name, is attached to an
 * instance or is not {@code available}, nor a snapshot an AMI is registered from. Pure.
 */
public record CleanupPlan(List<TaggedVolume> volumes, List<SnapshotInfo> snapshots, List<String> keptBack) {

    /**
     * The volumes whose moves may have left snapshots: the left-over volumes themselves and the
     * volumes the live volume and the left-overs were moved from (the first may be deleted already,
     * its snapshots not).
     */
    public static Set<String> movedFrom(String name, List<TaggedVolume> named) {
        Set<String> sources = new TreeSet<>();
        for (TaggedVolume v : named) {
            if (v.name().equals(name) || isLeftOver(name, v)) {
                if (isLeftOver(name, v)) {
                    sources.add(v.volume().id());
                }
                String from = v.tags().get(Tags.MOVED_FROM);
                if (from != null) {
                    sources.add(from);
                }
            }
        }
        return sources;
    }

    /**
     * @param liveVolumeId the volume that answers to the Name now (the one launch uses)
     * @param named the volumes whose Name begins with the name, in every region looked in
     * @param snapshots snapshots tagged {@link Tags#MOVED_FROM} with one of {@link #movedFrom}'s ids
     * @param imagesBySnapshot AMI ids by the snapshot they are registered from
     */
    public static CleanupPlan of(String name, String liveVolumeId, List<TaggedVolume> named, List<SnapshotInfo> snapshots,
                                 Map<String, String> imagesBySnapshot) {
        List<TaggedVolume> volumes = new ArrayList<>();
        List<String> keptBack = new ArrayList<>();
        for (TaggedVolume v : named) {
            String id = v.volume().id();
            if (!isLeftOver(name, v) || id.equals(liveVolumeId)) {
                continue;
            }
            if (!v.volume().attachments().isEmpty()) {
                keptBack.add("volume " + id + " (" + Printable.of(v.name()) + ") is attached to "
                        + v.volume().attachments().get(0).instanceId() + ": left alone");
            } else if (!v.volume().state().equals("available")) {
                keptBack.add("volume " + id + " (" + Printable.of(v.name()) + ") is " + v.volume().state()
                        + ", not available: left alone");
            } else {
                volumes.add(v);
            }
        }
        List<SnapshotInfo> deletable = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (SnapshotInfo s : snapshots) {
            if (!s.tags().containsKey(Tags.MOVED_FROM) || !seen.add(s.id())) {
                continue;
            }
            String image = imagesBySnapshot.get(s.id());
            if (image != null) {
                keptBack.add("snapshot " + s.id() + " is kept: AMI " + image + " is registered from it");
            } else {
                deletable.add(s);
            }
        }
        return new CleanupPlan(List.copyOf(volumes), List.copyOf(deletable), List.copyOf(keptBack));
    }

    public boolean nothingToDelete() {
        return volumes.isEmpty() && snapshots.isEmpty();
    }

    /** One line per thing to delete, as the confirmation shows it. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        volumes.forEach(v -> lines.add("delete volume " + v.volume().id() + " in " + v.volume().zone() + " ("
                + Printable.of(v.name()) + ", " + v.volume().sizeGib() + " GiB)"));
        snapshots.forEach(s -> lines.add("delete snapshot " + s.id() + " in " + s.region() + " (taken by a move of "
                + Printable.of(s.tags().get(Tags.MOVED_FROM)) + ")"));
        return lines;
    }

    /** {@code <name>-moved-to-vol-...}: what a move renames the old volume to. */
    private static boolean isLeftOver(String name, TaggedVolume v) {
        return v.name().startsWith(name) && LEFT_OVER.matcher(v.name().substring(name.length())).matches();
    }

    private static final Pattern LEFT_OVER = Pattern.compile("-moved-to-vol-[0-9a-f]+");
}
