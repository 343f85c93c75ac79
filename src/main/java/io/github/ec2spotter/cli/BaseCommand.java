package io.github.ec2spotter.cli;

import io.github.ec2spotter.cli.output.Console;
import io.github.ec2spotter.config.Credentials;
import io.github.ec2spotter.config.InputException;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.AwsRegions;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.ec2.Ec2Clients;
import io.github.ec2spotter.ec2.Iam;
import io.github.ec2spotter.ec2.IamClients;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.text.Printable;
import io.github.ec2spotter.text.Spelling;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * What every subcommand shares: {@code -v}, the console, the environment, and the one place where failures
 * become an exit code and a message. ({@code -v}'s log levels are set by the start-up code before
 * the command runs.)
 */
public abstract class BaseCommand implements Callable<Integer> {
    @Option(names = {"-v", "--verbose"}, description = "Show each step in detail, and each AWS request of the commands that make "
            + "them (secrets are never shown).")
    boolean verbose;

    final Console console = Console.system();

    /**
     * Where {@code AWS_ENDPOINT_URL_EC2} and friends are read; the cache training points it at
     * its loopback stub.
     */
    private Map<String, String> environment = System.getenv();

    /** The command's work; returns an exit code or throws. */
    abstract int run();

    /** Makes the command read {@code env} instead of the process's environment. */
    public final void useEnvironment(Map<String, String> env) {
        this.environment = env;
    }

    /**
     * The conf's regions are ones this build's SDK knows, checked offline before any call: a
     * made-up region would reach the network as a DNS failure (or an emulator's 500).
     */
    static LaunchSettings inKnownRegions(LaunchSettings settings) {
        knownRegion(settings.confFile() + ": ec2spotter_launch_zone=" + settings.launchZone(), settings.region());
        knownRegion(settings.confFile() + ": ec2spotter_volume_zone=" + settings.volumeZone(), settings.volumeRegion());
        return settings;
    }

    /** Refuses {@code region} unless the SDK knows it; {@code what} names where it came from. */
    static void knownRegion(String what, String region) {
        List<String> known = AwsRegions.known();
        if (!known.contains(region)) {
            throw new InputException(Printable.of(what) + ": " + Printable.of(region) + " is not an AWS region"
                    + Spelling.closest(region, known).map(r -> " (did you mean " + r + "?)")
                    .orElse(" (regions: " + String.join(", ", known) + ")"));
        }
    }

    /**
     * Asks the person at the terminal, showing what {@code command} will do there. With no one to
     * ask (stdin a pipe, a file, cron), changing things needs {@code --yes}, as
     * {@code terraform destroy} and {@code apt} do: a script must say it means it.
     *
     * @param doing the command's work as a verb: "pass --yes to {@code doing} without asking"
     */
    final boolean confirmed(String command, String doing, List<String> summary) {
        List<String> shown = new ArrayList<>(List.of(command + " will:"));
        summary.forEach(line -> shown.add("  " + line));
        if (!console.canAsk()) {
            shown.forEach(console::info);
            throw new InputException(command + " asks before it changes anything, and stdin is not a terminal: pass"
                    + " --yes to " + doing + " without asking; nothing was changed");
        }
        Optional<String> answer = console.ask(shown, "Go ahead? [y/N] ");
        return answer.map(a -> a.strip().toLowerCase(Locale.ROOT)).filter(a -> a.equals("y") || a.equals("yes"))
                .isPresent();
    }

    /** One variable of the environment the command reads; empty when unset. */
    final Optional<String> environmentVariable(String name) {
        return Optional.ofNullable(environment.get(name));
    }

    /** EC2 in any region, with these credentials and this command's environment. */
    final Ec2.Connector ec2(Credentials credentials) {
        return Ec2Clients.connector(credentials, environment);
    }

    /** IAM, in the partition of {@code region}, with these credentials and this command's environment. */
    final Iam iam(Credentials credentials, String region) {
        return IamClients.connect(credentials, region, environment);
    }

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (InputException e) {
            console.error(e.getMessage());
            return ExitCodes.USAGE;
        } catch (Failure e) {
            console.error(e.getMessage());
            traceIfVerbose(e);
            return ExitCodes.FAILURE;
        } catch (RuntimeException e) {
            console.error("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (verbose ? "" : " (run with -v for details)"));
            traceIfVerbose(e);
            return ExitCodes.FAILURE;
        }
    }

    private void traceIfVerbose(Throwable e) {
        if (verbose) {
            // Exception messages can quote what an endpoint sent; the trace goes through Printable too.
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            console.err().print(Printable.lines(trace.toString()));
        }
    }
}
