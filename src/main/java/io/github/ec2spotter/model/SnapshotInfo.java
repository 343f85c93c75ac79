package io.github.ec2spotter.model;

import java.time.Instant;
import java.util.Map;

/** An EBS snapshot as {@code snapshot} and {@code cleanup} see it: what it is of, when, and its tags. */
public record SnapshotInfo(String id, String volumeId, String state, Instant started, String region,
                           Map<String, String> tags) {
}
