package io.github.ec2spotter.cli;

import io.github.ec2spotter.cli.options.ConfOptions;
import io.github.ec2spotter.cli.options.OutputOptions;
import io.github.ec2spotter.config.InputException;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.config.Zones;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.ops.PriceReport;
import io.github.ec2spotter.text.Printable;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;



@Command(name = "prices", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Show the spot price per zone, cheapest first.",
                "The current spot price of the conf's instance type in every zone of the region, "
                        + "marking the zone of the volume and the launch zone.",
                "Prices are for Linux, in USD per hour, as EC2's spot price history reports them now."},
        footer = {"", "Exit codes: 0 done, 1 AWS or runtime failure or no price for the type, 2 bad options, conf or "
                + "credentials file."})
public final class PricesCommand extends BaseCommand {
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
        LaunchSettings settings = inKnownRegions(conf.settings(console, Optional.ofNullable(instanceType)));
        if (region != null && !Zones.isRegion(region)) {
            throw new InputException("--region: '" + Printable.of(region) + "' is not a region such as us-east-1");
        }
        if (region != null) {
            knownRegion("--region", region);
        }
        PriceReport report;
        try (Ec2 ec2 = ec2(conf.credentials(console)).connect(region == null ? settings.region() : region)) {
            report = PriceReport.of(settings, ec2);
        }
        output.print(console, report);
        return ExitCodes.OK;
    }
}
