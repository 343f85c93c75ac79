package io.github.ec2spotter.cli;

import io.github.ec2spotter.cli.options.ConfOptions;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Iam;
import io.github.ec2spotter.ops.IamSetup;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "setup", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Create the IAM role, its inline policy and the instance profile the boot script needs, and name "
                + "the profile in the conf.",
                "The role's trust policy lets EC2 hand it to instances; its inline policy allows only the boot script's "
                        + "calls, for the volume with the conf's Name tag in the launch region. Role and profile are "
                        + "named by ec2spotter_iam_instance_profile, else ec2spotter-<volume name>. Each one is made "
                        + "only when missing: a second run changes nothing. When the conf lacks "
                        + "ec2spotter_iam_instance_profile, a line setting it is added at its end."},
        footer = {"", "Exit codes: 0 done, 1 AWS or runtime failure, 2 bad options, conf or credentials file."})
public final class SetupCommand extends BaseCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = "--dry-run", description = "Print the trust policy, the inline policy and what would be made; "
            + "IAM is only read, the conf not written.")
    boolean dryRun;

    @Override
    int run() {
        LaunchSettings settings = inKnownRegions(conf.settings(console, Optional.empty()));
        try (Iam iam = iam(conf.credentials(console), settings.region())) {
            IamSetup setup = new IamSetup(iam, console);
            if (dryRun) {
                setup.dryRun(settings);
            } else {
                setup.run(settings);
            }
        }
        return ExitCodes.OK;
    }
}
