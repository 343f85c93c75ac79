package io.github.ec2spotter.cli;

import io.github.ec2spotter.ExitCodes;
import io.github.ec2spotter.aws.Ec2Gateway;
import io.github.ec2spotter.aws.VolumeInfo;
import io.github.ec2spotter.config.InputException;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.config.Zones;
import io.github.ec2spotter.plan.PriceTable;
import io.github.ec2spotter.text.Json;
import io.github.ec2spotter.text.Printable;
import io.github.ec2spotter.text.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "prices", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Show the spot price per zone, cheapest first.",
                "The current spot price of the conf's instance type in every zone of the region, "
                        + "marking the zone of the volume and the launch zone.",
                "Prices are for Linux, in USD per hour, as EC2's spot price history reports them now."},
        footer = {"", "Exit codes: 0 done, 1 AWS or runtime failure, 2 bad options, conf or credentials file."})
final class PricesCommand extends BaseCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = "--instance-type", paramLabel = "TYPE", description = "Override ec2spotter_instance_type.")
    String instanceType;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Look in this region instead of the launch zone's.")
    String region;

    @Mixin
    OutputOptions output;

    @Override
    int run() {
        LaunchSettings settings = conf.settings(console, Optional.ofNullable(instanceType));
        if (region != null && !Zones.isRegion(region)) {
            throw new InputException("--region: '" + Printable.of(region) + "' is not a region such as us-east-1");
        }
        String where = region == null ? settings.region() : region;
        var credentials = conf.credentials(console);
        try (Ec2Gateway ec2 = Ec2Gateway.connect(credentials, where, environment)) {
            Optional<String> volumeZone = VolumeLookup.inRegion(settings, ec2).map(VolumeInfo::zone)
                    .or(() -> Optional.of(settings.volumeZone()).filter(z -> Zones.regionOf(z).orElse("").equals(where)));
            Optional<String> launchZone = Optional.of(settings.launchZone())
                    .filter(z -> settings.region().equals(where));
            List<PriceTable.Row> rows = PriceTable.rows(ec2.currentSpotPrices(settings.instanceType()), volumeZone,
                    launchZone);
            if (output.json()) {
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
                doc.put("region", where);
                doc.put("instanceType", settings.instanceType());
                doc.put("prices", prices);
                console.result(Json.write(doc));
            } else if (rows.isEmpty()) {
                console.result("EC2 reports no spot price for " + settings.instanceType() + " in " + where
                        + " (the type may not be offered there)");
            } else {
                Table table = new Table("ZONE", "USD/HOUR", "SINCE", "");
                for (PriceTable.Row r : rows) {
                    List<String> marks = new ArrayList<>();
                    if (r.volumeZone()) {
                        marks.add("volume");
                    }
                    if (r.launchZone()) {
                        marks.add("launch zone");
                    }
                    table.row(r.zone(), r.usdPerHour().toPlainString(), r.since().toString(),
                            marks.isEmpty() ? "" : "<- " + String.join(", ", marks));
                }
                console.result("Spot prices for " + settings.instanceType() + " (Linux) in " + where
                        + ", cheapest first:");
                table.lines().forEach(l -> console.result(l.stripTrailing()));
            }
            return ExitCodes.OK;
        }
    }
}
