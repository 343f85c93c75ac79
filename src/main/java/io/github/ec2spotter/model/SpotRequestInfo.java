package io.github.ec2spotter.model;

import java.time.Instant;
import java.util.Optional;

/**
 * A spot request as EC2 describes it: its state ({@code open}, {@code active}, {@code closed},
 * {@code cancelled}, {@code failed}, {@code disabled}), its status code and message, the instance
 * it runs when there is one, and the {@code Name} and {@link Tags#VOLUME} tags launch put on it.
 * {@code statusUpdated} is when EC2 last changed the status code: the time of an interruption
 * while the code still tells of it.
 */
public record SpotRequestInfo(
        String id,
        String type,
        String state,
        Optional<String> statusCode,
        Optional<String> statusMessage,
        Optional<String> instanceId,
        Optional<String> instanceType,
        Optional<String> zone,
        Optional<String> name,
        Optional<String> volumeId,
        Optional<Instant> created,
        Optional<Instant> statusUpdated) {
}
