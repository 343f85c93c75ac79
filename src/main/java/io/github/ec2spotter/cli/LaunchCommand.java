package io.github.ec2spotter.cli;

import io.github.ec2spotter.cli.options.BootEndpointOptions;
import io.github.ec2spotter.cli.options.ConfOptions;
import io.github.ec2spotter.cli.options.TimeoutOption;
import io.github.ec2spotter.config.Credentials;
import io.github.ec2spotter.config.InputException;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.ops.Launch;
import io.github.ec2spotter.ops.Lookahead;
import io.github.ec2spotter.plan.LaunchWait;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;



@Command(name = "launch", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Request a persistent spot instance that boots from your EBS volume.",
        footer = {"", "Exit codes: 0 done, 1 AWS or runtime failure, 2 bad options, conf or credentials file."})
public final class LaunchCommand extends BaseCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = "--instance-type", paramLabel = "TYPE", description = "Override ec2spotter_instance_type.")
    String instanceType;

    @Option(names = "--dry-run", description = "Ask EC2 whether the request would succeed (its DryRun flag); request nothing.")
    boolean dryRun;

    @Option(names = "--wait", description = "Wait until the instance runs (showing progress on a terminal), then "
            + "print its id, public address and an ssh line. Stops early when the request cannot be fulfilled.")
    boolean waitForInstance;

    @Option(names = "--ssh-user", paramLabel = "USER",
            description = "Login user for the ssh line of --wait (default: ec2spotter_ssh_user, else ubuntu); only with --wait.")
    String sshUser;

    @Option(names = "--force", description = "Request even when a live ec2spotter request exists for the volume (with a warning naming it).")
    boolean force;

    @Option(names = "--move-volume", description = "When the volume is in another zone than ec2spotter_launch_zone: "
            + "snapshot it, copy the snapshot across regions if needed, create a volume like it in the launch zone, "
            + "rename the old one <name>-moved-to-<new id>, then launch. Nothing is deleted.")
    boolean moveVolume;

    @Mixin
    TimeoutOption timeout;

    @Mixin
    BootEndpointOptions bootEndpoints;

    @Override
    int run() {
        if (sshUser != null && !waitForInstance) {
            // Without --wait there is no ssh line: the option would be silently ignored.
            throw new InputException("--ssh-user is for the ssh line --wait prints: add --wait, or drop --ssh-user");
        }
        LaunchSettings settings = inKnownRegions(conf.settings(console, Optional.ofNullable(instanceType)));
        Credentials credentials = conf.credentials(console);
        Launch.Options options = new Launch.Options(dryRun, force, moveVolume, waitForInstance, timeout.duration(),
                bootEndpoints.endpoints(), conf.commandLine("stop"));
        String login = Optional.ofNullable(sshUser).or(settings::sshUser).orElse(LaunchSettings.DEFAULT_SSH_USER);
        // -v's request log lists the calls in the order they are made: there, one at a time.
        Lookahead lookahead = verbose ? Lookahead.IN_SEQUENCE : Lookahead.ON_THREAD;
        new Launch(ec2(credentials), console, lookahead).run(settings, options).instance()
                .ifPresent(instance -> printReady(instance, login));
        return ExitCodes.OK;
    }

    private void printReady(InstanceInfo instance, String login) {
        console.result("Instance " + instance.id() + " is running");
        instance.publicIp().ifPresent(ip -> console.result("Public IP " + ip));
        instance.publicDns().ifPresent(dns -> console.result("Public DNS " + dns));
        LaunchWait.sshLine(instance, login).ifPresentOrElse(
                line -> console.result(line + "    # it reboots once into your volume: give it a minute"),
                () -> console.result("No public address: reach it through its VPC (private network, VPN, SSM)"));
    }
}
