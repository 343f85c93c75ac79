package io.github.ec2spotter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.plan.LaunchPlan.BootEndpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** launch against a fake EC2: the duplicate guard, the dry run, and a volume move that stops half-way. */
class LaunchTest {
    private static final BootEndpoints REAL = new BootEndpoints(Optional.empty(), Optional.empty());

    @TempDir
    Path dir;

    private final FakeEc2 east = new FakeEc2("us-east-1");
    private final FakeEc2 west = new FakeEc2("us-west-2");
    private final RecordedProgress progress = new RecordedProgress();
    private final Ec2.Connector connector = region -> switch (region) {
        case "us-east-1" -> east;
        case "us-west-2" -> west;
        default -> throw new AssertionError("connected to " + region);
    };

    private static Launch.Options options(boolean dryRun, boolean force, boolean move) {
        return new Launch.Options(dryRun, force, move, false, Duration.ofSeconds(60), REAL,
                "ec2spotter stop --profile=work my.conf creds");
    }

    @Test
    void aLiveRequestForTheVolumeRefusesTheLaunch() throws Exception {
        LaunchSettings settings = Confs.settings(dir, "");
        east.volumes.add(Confs.volume("us-east-1d", "available", Optional.empty()));
        east.requests.add(Confs.request("sir-00000001", "disabled", Optional.of("i-00000001")));
        Failure e = assertThrows(Failure.class, () -> new Launch(connector, progress, Lookahead.IN_SEQUENCE).run(settings, options(false, false,
                false)));
        assertEquals("volume " + Confs.VOLUME_ID + " already has an ec2spotter spot request: sir-00000001 (disabled,"
                + " instance i-00000001); a second one would fight over the volume. Stop it first, or pass --force to"
                + " request another anyway; to stop it:\n    ec2spotter stop --profile=work my.conf creds", e.getMessage());
        assertTrue(east.sent.isEmpty());
        assertTrue(east.calls.contains("close"), "the connection is closed on failure too");
    }

    @Test
    void forceAndEndedRequestsLetTheLaunchThrough() throws Exception {
        LaunchSettings settings = Confs.settings(dir, "");
        east.volumes.add(Confs.volume("us-east-1d", "available", Optional.empty()));
        east.requests.add(Confs.request("sir-00000001", "active", Optional.empty()));
        new Launch(connector, progress, Lookahead.IN_SEQUENCE).run(settings, options(false, true, false));
        assertEquals(1, east.sent.size());
        assertTrue(progress.lines.contains("warn: --force: volume " + Confs.VOLUME_ID + " already has a live"
                + " ec2spotter spot request: sir-00000001 (active); the two will fight over the volume (each instance"
                + " tries to attach it, and a persistent request keeps starting instances that cannot get it)"),
                progress.lines::toString);

        east.requests.set(0, Confs.request("sir-00000001", "cancelled", Optional.empty()));
        new Launch(connector, progress, Lookahead.IN_SEQUENCE).run(settings, options(false, false, false));
        assertEquals(2, east.sent.size());
        assertEquals(Optional.of(Confs.VOLUME_ID), Optional.ofNullable(east.sent.get(1).tags().get("ec2spotter:volume")));
    }

    @Test
    void aDryRunAsksEc2AndRequestsNothing() throws Exception {
        LaunchSettings settings = Confs.settings(dir, "");
        east.volumes.add(Confs.volume("us-east-1d", "available", Optional.empty()));
        new Launch(connector, progress, Lookahead.IN_SEQUENCE).run(settings, options(true, false, false));
        assertTrue(east.calls.contains("checkSpotRequest"));
        assertTrue(east.sent.isEmpty());
        assertEquals(List.of("result: Dry run: EC2 would accept the persistent spot request for g4dn.xlarge in"
                + " us-east-1d (nothing was requested)"), progress.results());
    }

    @Test
    void theAmiLookedUpBesideTheVolumeChecksGoesIntoTheRequest() throws Exception {
        LaunchSettings settings = Confs.settings(dir, "");
        east.volumes.add(Confs.volume("us-east-1d", "available", Optional.empty()));
        new Launch(connector, progress, Lookahead.ON_THREAD).run(settings, options(false, false, false));
        assertEquals(1, east.sent.size());
        assertEquals("ami-0abcdef1234567890", east.sent.get(0).imageId());
        assertTrue(east.calls.contains("findImage ami-0abcdef1234567890"), east.calls::toString);
    }

    @Test
    void aFailedVolumeCheckIsTheErrorShownEvenWhenTheAmiLookupBesideItFailsToo() throws Exception {
        LaunchSettings settings = Confs.settings(dir, "");
        east.failing("findImage", "AMI ami-0abcdef1234567890 does not exist in us-east-1");
        Failure e = assertThrows(Failure.class, () -> new Launch(connector, progress, Lookahead.ON_THREAD)
                .run(settings, options(false, false, false)));
        assertTrue(e.getMessage().startsWith("no EBS volume tagged Name=spotter"), e.getMessage());
        assertTrue(east.sent.isEmpty());
    }

    @Test
    void aMissingAmiFailsTheLaunchAfterTheVolumeChecksPass() throws Exception {
        LaunchSettings settings = Confs.settings(dir, "");
        east.volumes.add(Confs.volume("us-east-1d", "available", Optional.empty()));
        east.failing("findImage", "AMI ami-0abcdef1234567890 does not exist in us-east-1");
        for (Lookahead lookahead : List.of(Lookahead.ON_THREAD, Lookahead.IN_SEQUENCE)) {
            Failure e = assertThrows(Failure.class, () -> new Launch(connector, progress, lookahead)
                    .run(settings, options(false, false, false)));
            assertEquals("AMI ami-0abcdef1234567890 does not exist in us-east-1", e.getMessage());
        }
        assertTrue(east.sent.isEmpty());
    }

    @Test
    void inSequenceTheAmiIsLookedUpAfterTheVolumeChecks() throws Exception {
        LaunchSettings settings = Confs.settings(dir, "");
        east.volumes.add(Confs.volume("us-east-1d", "available", Optional.empty()));
        new Launch(connector, progress, Lookahead.IN_SEQUENCE).run(settings, options(false, false, false));
        assertEquals(List.of("findVolumesByName spotter", "findSpotRequestsForVolume " + Confs.VOLUME_ID,
                "findImage ami-0abcdef1234567890", "requestSpotInstance", "close"), east.calls);
    }

    @Test
    void aMoveThatFailsHalfWaySaysWhatExistsAndLaunchesNothing() throws Exception {
        LaunchSettings settings = Confs.settings(dir, "ec2spotter_volume_zone=us-east-1a\n");
        east.volumes.add(Confs.volume("us-east-1a", "available", Optional.empty()));
        east.failing("createVolumeFromSnapshot", "CreateVolume failed: VolumeLimitExceeded");
        Failure e = assertThrows(Failure.class, () -> new Launch(connector, progress, Lookahead.IN_SEQUENCE).run(settings, options(false, false,
                true)));
        String snapshot = "snap-00000000000000001";
        assertEquals("moving volume " + Confs.VOLUME_ID + " (Name=spotter) from us-east-1a to us-east-1d stopped:"
                + " CreateVolume failed: VolumeLimitExceeded. Nothing was deleted. Exists now: volume " + Confs.VOLUME_ID
                + " in us-east-1a (unchanged), snapshot " + snapshot + " in us-east-1. To finish: run launch"
                + " --move-volume again. To give up: delete " + snapshot, e.getMessage());
        assertTrue(east.sent.isEmpty());
        assertFalse(east.calls.stream().anyMatch(c -> c.startsWith("tag ")), east.calls::toString);
    }

    @Test
    void aCrossRegionMoveThatFailsAfterTheCopyNamesBothSnapshots() throws Exception {
        LaunchSettings settings = Confs.settings(dir, "ec2spotter_volume_zone=us-west-2a\n");
        west.volumes.add(Confs.volume("us-west-2a", "available", Optional.empty()));
        east.failing("awaitSnapshotCompleted", "gave up waiting for snapshot snap-00000000000000001 to complete after 60 s");
        Failure e = assertThrows(Failure.class, () -> new Launch(connector, progress, Lookahead.IN_SEQUENCE).run(settings, options(false, false,
                true)));
        assertTrue(e.getMessage().contains("Exists now: volume " + Confs.VOLUME_ID + " in us-west-2a (unchanged),"
                + " snapshot snap-00000000000000001 in us-west-2, snapshot copy snap-00000000000000001 in us-east-1."),
                e.getMessage());
        assertEquals(List.of("volumeSpec " + Confs.VOLUME_ID, "snapshotVolume " + Confs.VOLUME_ID,
                "awaitSnapshotCompleted snap-00000000000000001"), west.calls.subList(west.calls.size() - 4,
                west.calls.size() - 1));
        assertTrue(west.calls.contains("close") && east.calls.contains("close"));
    }
}
