package io.github.ec2spotter.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ec2spotter.model.SnapshotInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code snapshot --keep N}: the newest N of the volume's ec2spotter snapshots stay, and only those count. */
class SnapshotRetentionTest {
    private static SnapshotInfo ours(String id, String started) {
        return new SnapshotInfo(id, "vol-1", "completed", Instant.parse(started), "us-east-1",
                Map.of("ec2spotter:volume", "vol-1", "Name", "spotter"));
    }

    private static List<String> ids(List<SnapshotInfo> snapshots) {
        return snapshots.stream().map(SnapshotInfo::id).toList();
    }

    @Test
    void theNewestNStayAndTheRestGoOldestFirst() {
        List<SnapshotInfo> all = List.of(ours("snap-b", "2026-01-02T00:00:00Z"), ours("snap-d", "2026-01-04T00:00:00Z"),
                ours("snap-a", "2026-01-01T00:00:00Z"), ours("snap-c", "2026-01-03T00:00:00Z"));

        SnapshotRetention r = SnapshotRetention.of("vol-1", all, 2);

        assertEquals(List.of("snap-d", "snap-c"), ids(r.kept()));
        assertEquals(List.of("snap-a", "snap-b"), ids(r.beyond()));
    }

    @Test
    void fewerThanNDeletesNothing() {
        SnapshotRetention r = SnapshotRetention.of("vol-1", List.of(ours("snap-a", "2026-01-01T00:00:00Z")), 3);

        assertEquals(List.of("snap-a"), ids(r.kept()));
        assertEquals(List.of(), r.beyond());
    }

    @Test
    void snapshotsWithoutTheTagOrOfAnotherVolumeNeverCountNorGo() {
        SnapshotInfo untagged = new SnapshotInfo("snap-old", "vol-1", "completed", Instant.parse("2025-01-01T00:00:00Z"),
                "us-east-1", Map.of());
        SnapshotInfo otherVolume = new SnapshotInfo("snap-other", "vol-2", "completed",
                Instant.parse("2025-01-01T00:00:00Z"), "us-east-1", Map.of("ec2spotter:volume", "vol-2"));
        // Taken of vol-1, but tagged for another volume (say, before a move): not vol-1's to delete.
        SnapshotInfo taggedElsewhere = new SnapshotInfo("snap-moved", "vol-1", "completed",
                Instant.parse("2025-01-01T00:00:00Z"), "us-east-1", Map.of("ec2spotter:volume", "vol-9"));

        SnapshotRetention r = SnapshotRetention.of("vol-1", List.of(untagged, otherVolume, taggedElsewhere,
                ours("snap-a", "2026-01-01T00:00:00Z"), ours("snap-b", "2026-01-02T00:00:00Z")), 1);

        assertEquals(List.of("snap-b"), ids(r.kept()));
        assertEquals(List.of("snap-a"), ids(r.beyond()));
    }

    @Test
    void snapshotsStartedTogetherAreOrderedByIdEveryTime() {
        List<SnapshotInfo> same = List.of(ours("snap-1", "2026-01-01T00:00:00Z"), ours("snap-3", "2026-01-01T00:00:00Z"),
                ours("snap-2", "2026-01-01T00:00:00Z"));

        SnapshotRetention r = SnapshotRetention.of("vol-1", same, 1);

        assertEquals(List.of("snap-3"), ids(r.kept()));
        assertEquals(List.of("snap-1", "snap-2"), ids(r.beyond()));
    }

    @Test
    void keepingNoneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SnapshotRetention.of("vol-1", List.of(), 0));
    }
}
