package io.github.ec2spotter.model;

import java.time.Instant;
import java.util.Optional;

/** What the life-cycle commands show about an instance. */
public record InstanceInfo(
        String id,
        String state,
        Optional<String> publicIp,
        Optional<String> publicDns,
        Optional<Instant> launchTime,
        Optional<String> privateIp) {
}
