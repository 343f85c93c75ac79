package io.github.ec2spotter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.model.Failure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stop against a fake EC2: its order of calls, its half-way failure, and a refused confirmation. */
class StopTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private final FakeEc2 ec2 = new FakeEc2("us-east-1");
    private final RecordedProgress progress = new RecordedProgress();
    private LaunchSettings settings;

    @BeforeEach
    void world(@TempDir Path dir) throws Exception {
        settings = Confs.settings(dir, "");
        ec2.requests.add(Confs.request("sir-00000001", "active", Optional.of("i-00000001")));
        ec2.requests.add(Confs.request("sir-00000002", "closed", Optional.empty()));
        ec2.instances.put("i-00000001", Confs.instance("i-00000001", "running"));
        ec2.volumes.add(Confs.volume("us-east-1d", "in-use", Optional.of("i-00000001")));
    }

    /** A persistent request whose instance is terminated starts a new one: the cancel must come first. */
    @Test
    void cancelsThenTerminatesThenWaitsForTheVolume() {
        assertTrue(new Stop(region -> ec2, progress).run(settings, LIMIT, plan -> true));
        List<String> changes = ec2.calls.stream()
                .filter(c -> c.startsWith("cancel") || c.startsWith("terminate") || c.startsWith("await")).toList();
        assertEquals(List.of("cancelSpotRequests sir-00000001", "terminateInstances i-00000001",
                "awaitVolumeAvailable " + Confs.VOLUME_ID), changes);
        assertEquals(List.of("result: Cancelled spot request sir-00000001 (was active, now cancelled)",
                "result: Terminating instance i-00000001 (was running, now shutting-down)",
                "result: Volume 'spotter' (" + Confs.VOLUME_ID + ") is available"), progress.results());
    }

    @Test
    void aTerminateThatFailsAfterTheCancelSaysWhatStillRuns() {
        ec2.failing("terminateInstances", "TerminateInstances failed: UnauthorizedOperation");
        Failure e = assertThrows(Failure.class, () -> new Stop(region -> ec2, progress).run(settings, LIMIT, plan -> true));
        assertEquals("TerminateInstances failed: UnauthorizedOperation; the spot requests are cancelled but i-00000001"
                + " still run: terminate them with: aws ec2 terminate-instances --region us-east-1 --instance-ids"
                + " i-00000001", e.getMessage());
        assertTrue(ec2.calls.contains("cancelSpotRequests sir-00000001"), ec2.calls::toString);
        assertFalse(ec2.calls.stream().anyMatch(c -> c.startsWith("await")), ec2.calls::toString);
    }

    /** A typo in the name must not read as "nothing running": no volume is a failure, before any change. */
    @Test
    void noVolumeWithTheNameIsAFailureBeforeAnything() {
        ec2.volumes.clear();
        Failure e = assertThrows(Failure.class, () -> new Stop(region -> ec2, progress).run(settings, LIMIT, plan -> {
            throw new AssertionError("asked to confirm without a volume");
        }));
        assertEquals("no EBS volume tagged Name=spotter in us-east-1 (check ec2spotter_volume_name and"
                + " ec2spotter_volume_zone in " + settings.confFile() + ")", e.getMessage());
        assertEquals(List.of("findVolumesByName spotter", "close"), ec2.calls);
    }

    /** Two volumes with the name: stopping for one and waiting on the other is what this prevents. */
    @Test
    void twoVolumesWithTheNameAreAFailureNamingBoth() {
        ec2.volumes.add(new io.github.ec2spotter.model.VolumeInfo("vol-0fedcba9876543210", "us-east-1d", "available",
                "gp3", 20, List.of()));
        Failure e = assertThrows(Failure.class, () -> new Stop(region -> ec2, progress).run(settings, LIMIT,
                plan -> true));
        assertEquals("2 EBS volumes are tagged Name=spotter in us-east-1: " + Confs.VOLUME_ID + " (us-east-1d),"
                + " vol-0fedcba9876543210 (us-east-1d); give the persistent volume a unique Name tag", e.getMessage());
        assertFalse(ec2.calls.stream().anyMatch(c -> c.startsWith("cancel") || c.startsWith("terminate")),
                ec2.calls::toString);
    }

    @Test
    void aRefusedConfirmationChangesNothing() {
        assertFalse(new Stop(region -> ec2, progress).run(settings, LIMIT, plan -> false));
        assertEquals(List.of("findVolumesByName spotter", "findSpotRequestsNamed spotter", "findInstances i-00000001",
                "close"), ec2.calls);
    }

    @Test
    void withNothingLiveItAsksNothingAndOnlyReportsTheVolume() {
        ec2.requests.clear();
        ec2.volumes.set(0, Confs.volume("us-east-1d", "available", Optional.empty()));
        assertTrue(new Stop(region -> ec2, progress).run(settings, LIMIT, plan -> {
            throw new AssertionError("asked to confirm with nothing to stop");
        }));
        assertEquals(List.of("result: Nothing to stop: no live ec2spotter spot request and no running instance for"
                + " volume 'spotter' (" + Confs.VOLUME_ID + ") in us-east-1", "result: Volume 'spotter' (" + Confs.VOLUME_ID + ") is available"),
                progress.results());
    }
}
