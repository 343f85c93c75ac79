package io.github.ec2spotter.model;

import java.util.Optional;

/**
 * What a copy of a volume must keep: type, size, IOPS, throughput and encryption. IOPS and
 * throughput are empty for types that do not take them (EC2 rejects them there).
 */
public record VolumeSpec(String type, int sizeGib, Optional<Integer> iops, Optional<Integer> throughput,
                         boolean encrypted, Optional<String> kmsKeyId) {
}
