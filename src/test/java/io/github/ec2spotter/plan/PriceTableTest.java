package io.github.ec2spotter.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ec2spotter.model.SpotPrice;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriceTableTest {
    static SpotPrice price(String zone, String usd, String since) {
        return new SpotPrice(zone, new BigDecimal(usd), Instant.parse(since));
    }

    /** A price history as EC2 returns it: several entries per zone, newest not first, mixed product descriptions. */
    static final List<SpotPrice> HISTORY = List.of(
            price("us-east-1a", "0.2630", "2026-01-02T10:00:00Z"),
            price("us-east-1a", "0.1900", "2026-01-02T12:00:00Z"),
            price("us-east-1b", "0.2210", "2026-01-02T11:00:00Z"),
            price("us-east-1c", "0.1579", "2026-01-01T09:00:00Z"),
            price("us-east-1d", "0.2210", "2026-01-02T08:00:00Z"),
            price("us-east-1c", "0.3000", "2025-12-31T09:00:00Z"));

    @Test
    void newestPricePerZoneCheapestFirstTiesByZone() {
        List<PriceTable.Row> rows = PriceTable.rows(HISTORY, Optional.of("us-east-1d"), Optional.of("us-east-1b"));

        assertEquals(List.of("us-east-1c", "us-east-1a", "us-east-1b", "us-east-1d"),
                rows.stream().map(PriceTable.Row::zone).toList());
        assertEquals(List.of("0.1579", "0.1900", "0.2210", "0.2210"),
                rows.stream().map(r -> r.usdPerHour().toPlainString()).toList());
        assertEquals(List.of(false, false, false, true), rows.stream().map(PriceTable.Row::volumeZone).toList());
        assertEquals(List.of(false, false, true, false), rows.stream().map(PriceTable.Row::launchZone).toList());
    }

    @Test
    void priceInOneZone() {
        assertEquals(Optional.of(new BigDecimal("0.1900")), PriceTable.priceIn(HISTORY, "us-east-1a"));
        assertEquals(Optional.empty(), PriceTable.priceIn(HISTORY, "us-east-1f"));
    }
}
