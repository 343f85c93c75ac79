package io.github.ec2spotter.ops;

import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.VolumeInfo;
import io.github.ec2spotter.plan.PriceTable;
import io.github.ec2spotter.text.Json;
import io.github.ec2spotter.text.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code prices}: the current spot price of the conf's instance type in every zone of one region,
 * cheapest first, with the volume's and the launch zone marked.
 */
public record PriceReport(String region, String instanceType, List<PriceTable.Row> rows) implements Report {

    /** Asks EC2 in {@code ec2}'s region, which may be another than the launch zone's. */
    public static PriceReport of(LaunchSettings settings, Ec2 ec2) {
        String where = ec2.region();
        // Marked only where the volume is: the conf's volume zone is where it was, not proof that it is there.
        Optional<String> volumeZone = VolumeLookup.inRegionIfAny(settings, ec2).map(VolumeInfo::zone);
        Optional<String> launchZone = Optional.of(settings.launchZone()).filter(z -> settings.region().equals(where));
        List<PriceTable.Row> rows = PriceTable.rows(ec2.currentSpotPrices(settings.instanceType()), volumeZone,
                launchZone);
        if (rows.isEmpty()) {
            // An empty table with exit 0 would read as "no data yet" to a script; a typo in the type is the usual cause.
            throw new Failure("EC2 reports no spot price for " + settings.instanceType() + " in " + where
                    + ": no such instance type, or it is not offered there (check ec2spotter_instance_type in "
                    + settings.confFile() + ", or --instance-type)");
        }
        return new PriceReport(where, settings.instanceType(), rows);
    }

    @Override
    public String json() {
        List<Map<String, Object>> prices = new ArrayList<>();
        for (PriceTable.Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("zone", r.zone());
            m.put("usdPerHour", r.usdPerHour());
            m.put("since", r.since());
            m.put("volumeZone", r.volumeZone());
            m.put("launchZone", r.launchZone());
            prices.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("region", region);
        doc.put("instanceType", instanceType);
        doc.put("prices", prices);
        return Json.write(doc);
    }

    @Override
    public List<String> lines() {
        Table table = new Table("ZONE", PriceTable.HEADER, "SINCE", "");
        for (PriceTable.Row r : rows) {
            List<String> marks = new ArrayList<>();
            if (r.volumeZone()) {
                marks.add("volume");
            }
            if (r.launchZone()) {
                marks.add("launch zone");
            }
            table.row(r.zone(), PriceTable.text(r.usdPerHour()), r.since().toString(),
                    marks.isEmpty() ? "" : "<- " + String.join(", ", marks));
        }
        List<String> lines = new ArrayList<>();
        lines.add("Spot prices for " + instanceType + " (Linux) in " + region + ", cheapest first:");
        table.lines().forEach(l -> lines.add(l.stripTrailing()));
        return lines;
    }
}
