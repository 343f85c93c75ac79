package io.github.ec2spotter.plan;

import static io.github.ec2spotter.plan.Requests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DuplicateGuardTest {
    @Test
    void openActiveAndDisabledRequestsBlockASecondLaunch() {
        Optional<String> refusal = DuplicateGuard.refusal("vol-1", List.of(
                request("sir-a", "active", "fulfilled", null, "i-a"),
                request("sir-b", "open", "capacity-not-available", null, null),
                request("sir-c", "disabled", "instance-stopped-by-user", null, "i-c"),
                request("sir-d", "cancelled", "canceled-before-fulfillment", null, null),
                request("sir-e", "closed", "instance-terminated-by-user", null, "i-e")), "ec2spotter stop my.conf creds");

        assertEquals(Optional.of("volume vol-1 already has an ec2spotter spot request: sir-a (active, instance i-a), "
                + "sir-b (open), sir-c (disabled, instance i-c); a second one would fight over the volume. Stop it first, "
                + "or pass --force to request another anyway; to stop it:\n    ec2spotter stop my.conf creds"), refusal);
    }

    @Test
    void endedRequestsDoNotBlock() {
        assertEquals(Optional.empty(), DuplicateGuard.refusal("vol-1", List.of(
                request("sir-d", "cancelled", "canceled-before-fulfillment", null, null),
                request("sir-f", "failed", "bad-parameters", null, null)), "my.conf"));
        assertEquals(Optional.empty(), DuplicateGuard.refusal("vol-1", List.of(), "my.conf"));
    }
}
