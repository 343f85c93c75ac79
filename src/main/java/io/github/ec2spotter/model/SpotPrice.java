package io.github.ec2spotter.model;

import java.math.BigDecimal;
import java.time.Instant;

/** The latest spot price of an instance type in one zone, USD per hour. */
public record SpotPrice(String zone, BigDecimal usdPerHour, Instant since) {
}
