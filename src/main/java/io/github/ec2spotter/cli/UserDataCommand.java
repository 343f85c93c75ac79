package io.github.ec2spotter.cli;

import io.github.ec2spotter.cli.options.BootEndpointOptions;
import io.github.ec2spotter.cli.options.ConfOptions;
import io.github.ec2spotter.config.InputException;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.plan.LaunchPlan;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "user-data", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Print the boot script that launch sends as user-data. Makes no AWS call.",
        footer = {"", "Exit codes: 0 done, 1 runtime failure, 2 bad options or conf file."})
public final class UserDataCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "CONF", description = "The ec2spotter conf file.")
    java.nio.file.Path confFile;

    @Option(names = "--volume-id", paramLabel = "VOL",
            description = "The volume id to put in the script (launch looks it up; without it the script finds the "
                    + "volume by its Name tag at boot).")
    String volumeId;

    @Mixin
    BootEndpointOptions bootEndpoints;

    @Override
    int run() {
        ConfOptions conf = new ConfOptions();
        conf.confFile = confFile;
        LaunchSettings settings = conf.settings(console, Optional.empty());
        if (volumeId != null && !volumeId.matches("vol-(?:[0-9a-f]{8}|[0-9a-f]{17})")) {
            throw new InputException("--volume-id: expected a volume id such as vol-0abc1234");
        }
        if (settings.embedCredentials()) {
            console.warn("ec2spotter_embed_credentials=yes: only launch puts keys into the script; this copy has none");
        }
        console.result(LaunchPlan.bootScript(settings, Optional.ofNullable(volumeId), bootEndpoints.endpoints(),
                Optional.empty()).text());
        return ExitCodes.OK;
    }
}
