package io.github.ec2spotter.cli.options;

import io.github.ec2spotter.plan.LaunchPlan.BootEndpoints;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the boot script on the instance sends its calls. Hidden: only tests that run the
 * script against an emulator and a fake metadata service need them.
 */
public final class BootEndpointOptions {
    @Option(names = "--boot-ec2-endpoint", hidden = true, paramLabel = "URL")
    String ec2;

    @Option(names = "--boot-imds-url", hidden = true, paramLabel = "URL")
    String imds;

    public BootEndpoints endpoints() {
        return new BootEndpoints(Optional.ofNullable(ec2), Optional.ofNullable(imds));
    }
}
