package io.github.ec2spotter.ops;

import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.SnapshotInfo;
import io.github.ec2spotter.model.TaggedVolume;
import io.github.ec2spotter.model.Tags;
import io.github.ec2spotter.model.VolumeInfo;
import io.github.ec2spotter.plan.CleanupPlan;
import io.github.ec2spotter.text.Json;
import io.github.ec2spotter.text.Printable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code cleanup}: finds what {@code launch --move-volume} left in the launch region and the conf's
 * volume region (the old volume, its snapshot and the copy), and deletes it once confirmed,
 * following a {@link CleanupPlan}, which never includes the volume in use.
 */
public final class Cleanup {
    private final Ec2.Connector connector;
    private final Progress progress;

    public Cleanup(Ec2.Connector connector, Progress progress) {
        this.connector = connector;
        this.progress = progress;
    }

    /** What was found, and what was deleted ({@code confirmed} false: nothing). */
    public record Outcome(String volumeName, List<String> regions, CleanupPlan plan, boolean confirmed,
                          List<String> deleted) implements Report {
        @Override
        public String json() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("volumeName", volumeName);
            doc.put("regions", regions);
            doc.put("volumes", plan.volumes().stream().map(v -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", v.volume().id());
                m.put("region", v.region());
                m.put("zone", v.volume().zone());
                m.put("name", v.name());
                m.put("sizeGib", v.volume().sizeGib());
                return m;
            }).toList());
            doc.put("snapshots", plan.snapshots().stream().map(s -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", s.id());
                m.put("region", s.region());
                m.put("movedFrom", s.tags().get(Tags.MOVED_FROM));
                return m;
            }).toList());
            doc.put("keptBack", plan.keptBack());
            doc.put("deleted", deleted);
            return Json.write(doc);
        }

        @Override
        public List<String> lines() {
            if (plan.nothingToDelete()) {
                return List.of("Nothing to clean up: launch --move-volume left no volume or snapshot of '"
                        + Printable.of(volumeName) + "' in " + String.join(" or ", regions));
            }
            List<String> lines = new ArrayList<>();
            deleted.forEach(id -> lines.add("Deleted " + (id.startsWith("vol-") ? "volume " : "snapshot ") + id));
            return lines;
        }
    }

    /** @param confirm asked, when there is something to delete, whether to go ahead */
    public Outcome run(LaunchSettings settings, Predicate<CleanupPlan> confirm) {
        Set<String> regions = new LinkedHashSet<>(List.of(settings.region(), settings.volumeRegion()));
        Map<String, Ec2> byRegion = new LinkedHashMap<>();
        try {
            regions.forEach(r -> byRegion.put(r, connector.connect(r)));
            return run(settings, byRegion, confirm);
        } finally {
            byRegion.values().forEach(Ec2::close);
        }
    }

    private Outcome run(LaunchSettings settings, Map<String, Ec2> byRegion, Predicate<CleanupPlan> confirm) {
        String name = settings.volumeName();
        VolumeInfo live = VolumeLookup.named(settings, byRegion.get(settings.region()), connector);
        List<TaggedVolume> named = new ArrayList<>();
        byRegion.values().forEach(ec2 -> named.addAll(ec2.ebs().volumesNamedFrom(name)));
        Set<String> sources = CleanupPlan.movedFrom(name, named);
        List<SnapshotInfo> snapshots = new ArrayList<>();
        Map<String, String> images = new LinkedHashMap<>();
        for (Ec2 ec2 : byRegion.values()) {
            sources.forEach(source -> snapshots.addAll(ec2.ebs().snapshotsTagged(Tags.MOVED_FROM, source)));
            if (!sources.isEmpty()) {
                images.putAll(ec2.ebs().imagesBySnapshot());
            }
        }
        CleanupPlan plan = CleanupPlan.of(name, live.id(), named, snapshots, images);
        List<String> regions = List.copyOf(byRegion.keySet());
        plan.keptBack().forEach(progress::warn);
        if (plan.nothingToDelete()) {
            return new Outcome(name, regions, plan, true, List.of());
        }
        if (!confirm.test(plan)) {
            return new Outcome(name, regions, plan, false, List.of());
        }
        List<String> deleted = new ArrayList<>();
        try {
            for (TaggedVolume v : plan.volumes()) {
                progress.info("Deleting volume " + v.volume().id() + " in " + v.region());
                byRegion.get(v.region()).ebs().deleteVolume(v.volume().id());
                deleted.add(v.volume().id());
            }
            for (SnapshotInfo s : plan.snapshots()) {
                progress.info("Deleting snapshot " + s.id() + " in " + s.region());
                byRegion.get(s.region()).ebs().deleteSnapshot(s.id());
                deleted.add(s.id());
            }
        } catch (Failure e) {
            List<String> left = new ArrayList<>();
            plan.volumes().forEach(v -> left.add(v.volume().id()));
            plan.snapshots().forEach(s -> left.add(s.id()));
            left.removeAll(deleted);
            throw new Failure(e.getMessage() + "; cleanup stopped. Deleted: "
                    + (deleted.isEmpty() ? "nothing" : String.join(", ", deleted)) + "; still there: "
                    + String.join(", ", left) + " (run cleanup again to retry)", e);
        }
        return new Outcome(name, regions, plan, true, deleted);
    }
}
