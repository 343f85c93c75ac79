package io.github.ec2spotter.model;

import java.util.OptionalInt;

/** The pre-boot AMI: its root device name and the size of its root snapshot. */
public record ImageInfo(String id, String rootDeviceName, OptionalInt rootSnapshotGib) {
}
