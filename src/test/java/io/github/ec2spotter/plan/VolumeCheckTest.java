package io.github.ec2spotter.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ec2spotter.config.ConfFile;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.config.SettingsReader;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.VolumeInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which volume a launch may use; the instance states come from EC2, here from a map. */
class VolumeCheckTest {
    private static LaunchSettings settings;

    @BeforeAll
    static void conf(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("my.conf");
        Files.writeString(file, """
                ec2spotter_volume_name=spotter
                ec2spotter_launch_zone=us-east-1d
                ec2spotter_preboot_image_id=ami-0abcdef1234567890
                ec2spotter_instance_type=g4dn.xlarge
                """);
        settings = SettingsReader.read(ConfFile.read(file)).settings();
    }

    private static VolumeInfo volume(String zone, String instanceId) {
        List<VolumeInfo.Attachment> attachments = instanceId == null ? List.of()
                : List.of(new VolumeInfo.Attachment(instanceId, "/dev/sdf", "attached"));
        return new VolumeInfo("vol-0123456789abcdef0", zone, instanceId == null ? "available" : "in-use", "gp3", 20,
                attachments);
    }

    private static VolumeInfo choose(VolumeInfo volume, Map<String, String> states) {
        return VolumeCheck.choose(settings, List.of(volume), id -> Optional.ofNullable(states.get(id)), false);
    }

    @Test
    void anAvailableVolumeInTheLaunchZoneIsChosen() {
        VolumeInfo v = volume("us-east-1d", null);
        assertEquals(v, choose(v, Map.of()));
    }

    @Test
    void aVolumeStillHeldByADyingOrForgottenInstanceIsChosen() {
        VolumeInfo v = volume("us-east-1d", "i-0aaaaaaaaaaaaaaaa");
        assertEquals(v, choose(v, Map.of("i-0aaaaaaaaaaaaaaaa", "shutting-down")));
        assertEquals(v, choose(v, Map.of("i-0aaaaaaaaaaaaaaaa", "terminated")));
        assertEquals(v, choose(v, Map.of()));
    }

    @Test
    void aVolumeHeldByAStoppedInstanceIsRefusedNamingIt() {
        Failure e = assertThrows(Failure.class,
                () -> choose(volume("us-east-1d", "i-0aaaaaaaaaaaaaaaa"), Map.of("i-0aaaaaaaaaaaaaaaa", "stopped")));
        assertEquals("volume vol-0123456789abcdef0 (Name=spotter) is attached to instance i-0aaaaaaaaaaaaaaaa (stopped)"
                + " as /dev/sdf; stop that instance and detach the volume first", e.getMessage());
    }

    @Test
    void noVolumeNamesTheTagAndTheRegion() {
        Failure e = assertThrows(Failure.class, () -> VolumeCheck.choose(settings, List.of(), id -> Optional.empty(), false));
        assertEquals("no EBS volume tagged Name=spotter in us-east-1 (check ec2spotter_volume_name and "
                + "ec2spotter_volume_zone in " + settings.confFile() + ")", e.getMessage());
    }

    @Test
    void aVolumeInAnotherZoneNamesBothZones() {
        Failure e = assertThrows(Failure.class, () -> choose(volume("us-east-1a", null), Map.of()));
        assertEquals("volume vol-0123456789abcdef0 (Name=spotter) is in us-east-1a but ec2spotter_launch_zone is "
                + "us-east-1d; an instance can only attach a volume in its own zone: set ec2spotter_launch_zone="
                + "us-east-1a, or run launch --move-volume to copy the volume to us-east-1d", e.getMessage());
    }
}
