package io.github.ec2spotter.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.model.SnapshotInfo;
import io.github.ec2spotter.model.TaggedVolume;
import io.github.ec2spotter.model.VolumeInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code cleanup}: what a move left may go; the volume in use, and anything attached or held, never. */
class CleanupPlanTest {
    private static TaggedVolume volume(String id, String state, String name, Map<String, String> moreTags,
                                       List<VolumeInfo.Attachment> attachments) {
        Map<String, String> tags = new java.util.HashMap<>(moreTags);
        tags.put("Name", name);
        return new TaggedVolume(new VolumeInfo(id, "us-east-1c", state, "gp3", 20, attachments), "us-east-1", tags);
    }

    private static SnapshotInfo snapshot(String id, String movedFrom) {
        return new SnapshotInfo(id, movedFrom, "completed", Instant.parse("2026-01-01T00:00:00Z"), "us-east-1",
                Map.of("ec2spotter:moved-from", movedFrom));
    }

    /** After one move: the live vol-new (Name=spotter, moved-from vol-old) and vol-old renamed. */
    private static final TaggedVolume LIVE = volume("vol-0e1", "in-use", "spotter", Map.of("ec2spotter:moved-from",
            "vol-0a1"), List.of(new VolumeInfo.Attachment("i-1", "/dev/sdf", "attached")));
    private static final TaggedVolume OLD = volume("vol-0a1", "available", "spotter-moved-to-vol-0e1", Map.of(), List.of());

    @Test
    void theOldVolumeAndTheMovesSnapshotsGoTheLiveVolumeStays() {
        List<TaggedVolume> named = List.of(LIVE, OLD);
        assertEquals(Set.of("vol-0a1"), CleanupPlan.movedFrom("spotter", named));

        CleanupPlan plan = CleanupPlan.of("spotter", "vol-0e1", named,
                List.of(snapshot("snap-1", "vol-0a1"), snapshot("snap-copy", "vol-0a1")), Map.of());

        assertEquals(List.of("vol-0a1"), plan.volumes().stream().map(v -> v.volume().id()).toList());
        assertEquals(List.of("snap-1", "snap-copy"), plan.snapshots().stream().map(SnapshotInfo::id).toList());
        assertEquals(List.of(), plan.keptBack());
        assertTrue(plan.summary().get(0).startsWith("delete volume vol-0a1 in us-east-1c (spotter-moved-to-vol-0e1"),
                plan.summary().toString());
    }

    @Test
    void theVolumeInUseIsNeverDeletedEvenWhenItLooksLeftOver() {
        // Renamed by hand to the left-over pattern but still the one launch found by its Name.
        TaggedVolume odd = volume("vol-0e1", "available", "spotter-moved-to-vol-0ff", Map.of(), List.of());

        CleanupPlan plan = CleanupPlan.of("spotter", "vol-0e1", List.of(odd), List.of(), Map.of());

        assertTrue(plan.nothingToDelete());
    }

    @Test
    void anAttachedOrBusyLeftOverIsKeptAndSaidSo() {
        TaggedVolume attached = volume("vol-0a1", "in-use", "spotter-moved-to-vol-0e1", Map.of(),
                List.of(new VolumeInfo.Attachment("i-9", "/dev/sdg", "attached")));
        TaggedVolume creating = volume("vol-0a2", "creating", "spotter-moved-to-vol-0a1", Map.of(), List.of());

        CleanupPlan plan = CleanupPlan.of("spotter", "vol-0e1", List.of(LIVE, attached, creating), List.of(), Map.of());

        assertTrue(plan.nothingToDelete());
        assertEquals(List.of("volume vol-0a1 (spotter-moved-to-vol-0e1) is attached to i-9: left alone",
                "volume vol-0a2 (spotter-moved-to-vol-0a1) is creating, not available: left alone"), plan.keptBack());
    }

    @Test
    void aSnapshotAnAmiIsRegisteredFromIsKept() {
        CleanupPlan plan = CleanupPlan.of("spotter", "vol-0e1", List.of(LIVE, OLD),
                List.of(snapshot("snap-1", "vol-0a1")), Map.of("snap-1", "ami-0123"));

        assertEquals(List.of(), plan.snapshots());
        assertEquals(List.of("snapshot snap-1 is kept: AMI ami-0123 is registered from it"), plan.keptBack());
    }

    @Test
    void otherVolumesWhoseNameOnlyBeginsAlikeAreNotLeftOvers() {
        TaggedVolume other = volume("vol-0b1", "available", "spotter2", Map.of("ec2spotter:moved-from", "vol-0c1"),
                List.of());
        TaggedVolume lookalike = volume("vol-0b2", "available", "spotter-moved-to-somewhere", Map.of(), List.of());
        List<TaggedVolume> named = List.of(LIVE, other, lookalike);

        assertEquals(Set.of("vol-0a1"), CleanupPlan.movedFrom("spotter", named));
        assertTrue(CleanupPlan.of("spotter", "vol-0e1", named, List.of(), Map.of()).nothingToDelete());
    }

    @Test
    void aSnapshotSeenInTwoLooksIsListedOnceAndUntaggedOnesNever() {
        SnapshotInfo untagged = new SnapshotInfo("snap-u", "vol-0a1", "completed", Instant.EPOCH, "us-east-1", Map.of());

        CleanupPlan plan = CleanupPlan.of("spotter", "vol-0e1", List.of(LIVE),
                List.of(snapshot("snap-1", "vol-0a1"), snapshot("snap-1", "vol-0a1"), untagged), Map.of());

        assertEquals(List.of("snap-1"), plan.snapshots().stream().map(SnapshotInfo::id).toList());
    }
}
