package io.github.ec2spotter.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class VolumeMoveTest {
    final VolumeMove acrossRegions = new VolumeMove("spotter", "vol-old", "eu-west-1b", "eu-west-1", "us-east-1a",
            "us-east-1");

    @Test
    void namesAndRegions() {
        assertTrue(acrossRegions.crossRegion());
        assertFalse(new VolumeMove("spotter", "vol-old", "us-east-1c", "us-east-1", "us-east-1a", "us-east-1")
                .crossRegion());
        assertEquals("spotter-moved-to-vol-new", acrossRegions.oldVolumeName("vol-new"));
    }

    @Test
    void failingAfterTheCopySaysWhatExistsAndHowToCleanUp() {
        String m = acrossRegions.halfway("CopySnapshot timed out", Optional.of("snap-1"), Optional.of("snap-2"),
                Optional.empty(), false);

        assertEquals("moving volume vol-old (Name=spotter) from eu-west-1b to us-east-1a stopped: CopySnapshot timed out."
                + " Nothing was deleted. Exists now: volume vol-old in eu-west-1b (unchanged), snapshot snap-1 in"
                + " eu-west-1, snapshot copy snap-2 in us-east-1. To finish: run launch --move-volume again. To give up:"
                + " delete snap-1 snap-2", m);
    }

    @Test
    void failingAfterTheRenameSaysHowToFinish() {
        String m = acrossRegions.halfway("CreateTags failed", Optional.of("snap-1"), Optional.of("snap-2"),
                Optional.of("vol-new"), true);

        assertTrue(m.contains("volume vol-old in eu-west-1b (renamed spotter-moved-to-vol-new)"), m);
        assertTrue(m.contains("new volume vol-new in us-east-1a. To finish: wait until vol-new is available, tag vol-new"
                + " Name=spotter and run launch again. To give up: delete vol-new snap-1 snap-2"), m);
    }

    @Test
    void failingBeforeTheSnapshotLeavesNothing() {
        String m = acrossRegions.halfway("CreateSnapshot failed", Optional.empty(), Optional.empty(), Optional.empty(),
                false);

        assertTrue(m.endsWith("To finish: run launch --move-volume again. To give up: delete nothing"), m);
    }
}
