package io.github.ec2spotter.ops;

import io.github.ec2spotter.config.ConfFile;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.config.SettingsReader;
import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.model.VolumeInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Settings read from a real conf file, and EC2 objects as the gateway would describe them. */
final class Confs {
    static final String VOLUME_ID = "vol-0123456789abcdef0";

    private Confs() {
    }

    static LaunchSettings settings(Path dir, String extra) throws IOException {
        Path file = dir.resolve("my.conf");
        Files.writeString(file, """
                ec2spotter_volume_name=spotter
                ec2spotter_launch_zone=us-east-1d
                ec2spotter_preboot_image_id=ami-0abcdef1234567890
                ec2spotter_instance_type=g4dn.xlarge
                ec2spotter_iam_instance_profile=spotter-role
                """ + extra);
        return SettingsReader.read(ConfFile.read(file)).settings();
    }

    static VolumeInfo volume(String zone, String state, Optional<String> attachedTo) {
        return new VolumeInfo(VOLUME_ID, zone, state, "gp3", 20,
                attachedTo.map(i -> List.of(new VolumeInfo.Attachment(i, "/dev/sdf", "attached"))).orElse(List.of()));
    }

    static SpotRequestInfo request(String id, String state, Optional<String> instanceId) {
        return new SpotRequestInfo(id, "persistent", state, Optional.of("fulfilled"), Optional.empty(), instanceId,
                Optional.of("g4dn.xlarge"), Optional.of("us-east-1d"), Optional.of("spotter"), Optional.of(VOLUME_ID),
                Optional.of(Instant.parse("2026-01-02T03:04:05Z")), Optional.empty());
    }

    static InstanceInfo instance(String id, String state) {
        return new InstanceInfo(id, state, Optional.of("203.0.113.7"), Optional.empty(), Optional.empty(),
                Optional.of("10.0.0.7"));
    }
}
