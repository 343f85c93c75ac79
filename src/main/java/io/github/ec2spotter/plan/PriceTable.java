package io.github.ec2spotter.plan;

import io.github.ec2spotter.model.SpotPrice;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Spot prices per zone, cheapest first, with the volume's and the launch zone marked. */
public final class PriceTable {
    public record Row(String zone, BigDecimal usdPerHour, Instant since, boolean volumeZone, boolean launchZone) {
    }

    private PriceTable() {
    }

    /**
     * One row per zone: EC2 can return several prices for a zone (product descriptions, the last
     * change before now); the newest counts. Ties in price keep zone order, so the table is stable.
     */
    public static List<Row> rows(List<SpotPrice> prices, Optional<String> volumeZone, Optional<String> launchZone) {
        Map<String, SpotPrice> latest = new LinkedHashMap<>();
        for (SpotPrice p : prices) {
            latest.merge(p.zone(), p, (a, b) -> b.since().isAfter(a.since()) ? b : a);
        }
        return latest.values().stream()
                .sorted(Comparator.comparing(SpotPrice::usdPerHour).thenComparing(SpotPrice::zone))
                .map(p -> new Row(p.zone(), p.usdPerHour(), p.since(),
                        volumeZone.filter(p.zone()::equals).isPresent(), launchZone.filter(p.zone()::equals).isPresent()))
                .toList();
    }

    /** The header of a price column, in every table that has one. */
    public static final String HEADER = "SPOT-USD/HOUR";

    /** A price as every table prints it: dollars per hour, as EC2 gave it. */
    public static String text(BigDecimal usdPerHour) {
        return usdPerHour.toPlainString();
    }

    /** The current price in one zone, when EC2 reported one. */
    public static Optional<BigDecimal> priceIn(List<SpotPrice> prices, String zone) {
        return rows(prices, Optional.empty(), Optional.empty()).stream().filter(r -> r.zone().equals(zone))
                .map(Row::usdPerHour).findFirst();
    }
}
