package io.github.ec2spotter.plan;

import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotRequestInfo;
import java.time.Instant;
import java.util.Optional;

/** Spot requests and instances as EC2 would describe them, for the states moto does not produce. */
final class Requests {
    private Requests() {
    }

    static SpotRequestInfo request(String id, String state, String code, String message, String instanceId) {
        return new SpotRequestInfo(id, "persistent", state, Optional.ofNullable(code), Optional.ofNullable(message),
                Optional.ofNullable(instanceId), Optional.of("g4dn.xlarge"), Optional.of("us-east-1d"),
                Optional.of("spotter"), Optional.of("vol-0123456789abcdef0"),
                Optional.of(Instant.parse("2026-01-02T03:04:05Z")), Optional.empty());
    }

    static InstanceInfo instance(String id, String state) {
        return new InstanceInfo(id, state, Optional.of("203.0.113.7"),
                Optional.of("ec2-203-0-113-7.compute-1.amazonaws.com"), Optional.of(Instant.parse("2026-01-02T03:05:00Z")),
                Optional.of("10.0.0.7"));
    }
}
