package io.github.ec2spotter.model;

import java.time.Instant;
import java.util.Optional;

/**
 * EC2's copy of an instance's serial console: what the kernel, the boot script and the init stub
 * printed, decoded as UTF-8 but otherwise raw. It is what the instance wrote, so it is data that
 * may hold anything, escape sequences included; {@code text} is empty when EC2 has none yet.
 * {@code captured} is when EC2 took the copy, which lags the console by some minutes.
 */
public record ConsoleOutput(String instanceId, Optional<Instant> captured, String text) {
}
