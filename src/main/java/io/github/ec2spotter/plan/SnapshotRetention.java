package io.github.ec2spotter.plan;

import io.github.ec2spotter.model.SnapshotInfo;
import io.github.ec2spotter.model.Tags;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * {@code snapshot --keep N}: which of a volume's snapshots to keep and which to delete. Only
 * snapshots tagged {@code ec2spotter:volume=<that volume>} count and can be deleted; any other
 * snapshot, even of the same volume, is never touched. The newest N stay, by start time (then
 * id, so that two started in the same second are ordered the same way every time).
 */
public record SnapshotRetention(List<SnapshotInfo> kept, List<SnapshotInfo> beyond) {
    private static final Comparator<SnapshotInfo> NEWEST_FIRST = Comparator.comparing(SnapshotInfo::started)
            .thenComparing(SnapshotInfo::id).reversed();

    public static SnapshotRetention of(String volumeId, List<SnapshotInfo> snapshots, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one snapshot, not " + keep);
        }
        List<SnapshotInfo> ours = snapshots.stream()
                .filter(s -> volumeId.equals(s.tags().get(Tags.VOLUME)))
                .sorted(NEWEST_FIRST)
                .toList();
        int split = Math.min(keep, ours.size());
        List<SnapshotInfo> beyond = new ArrayList<>(ours.subList(split, ours.size()));
        // Oldest first: deleted in the order they were taken.
        Collections.reverse(beyond);
        return new SnapshotRetention(List.copyOf(ours.subList(0, split)), List.copyOf(beyond));
    }
}
