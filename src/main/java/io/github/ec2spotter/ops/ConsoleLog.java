package io.github.ec2spotter.ops;

import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.ConsoleOutput;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.plan.ConsoleText;
import io.github.ec2spotter.plan.CurrentInstance;
import io.github.ec2spotter.text.Printable;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code logs}: the current instance's console output as EC2 keeps it, the boot script's and the
 * init stub's lines first, and with {@code all} the whole console after them. Every line is
 * cleaned ({@link ConsoleText}): the console is what the instance wrote, and may hold escape
 * sequences meant for the reader's terminal.
 */
public final class ConsoleLog {
    /** Separates the boot lines from the whole console, on stdout, so a reader sees where one ends. */
    static final String WHOLE_CONSOLE = "--- the whole console output ---";

    private final Ec2 ec2;
    private final Ec2.Connector connector;
    private final Progress progress;

    /** {@code connector} reaches the volume's region when the volume is not in {@code ec2}'s. */
    public ConsoleLog(Ec2 ec2, Ec2.Connector connector, Progress progress) {
        this.ec2 = ec2;
        this.connector = connector;
        this.progress = progress;
    }

    /**
     * Prints the lines as results and what they are on the side. Without an instance that is up or
     * stopped there is nothing to read: that is a failure, as asking for a thing that is not there.
     * The volume is found by name first, with launch's rule: no console is shown for a name that
     * matches no volume, or several.
     */
    public void show(LaunchSettings settings, boolean all) {
        VolumeLookup.named(settings, ec2, connector);
        List<SpotRequestInfo> requests = ec2.findSpotRequestsNamed(settings.volumeName());
        InstanceInfo instance = CurrentInstance.of(requests,
                        VolumeLookup.instancesOf(ec2, requests))
                .orElseThrow(() -> new Failure("no current instance for volume '" + Printable.of(settings.volumeName())
                        + "' in " + ec2.region() + ": no ec2spotter spot request has an instance that is pending,"
                        + " running or stopped (ec2spotter status shows the requests)"));
        ConsoleOutput console = ec2.consoleOutput(instance.id());
        List<String> lines = ConsoleText.lines(console.text());
        progress.info("Console output of " + instance.id() + " (" + instance.state() + ")"
                + console.captured().map(t -> ", as EC2 captured it at " + t).orElse(""));
        if (lines.isEmpty()) {
            progress.info("EC2 has no console output for " + instance.id() + " yet: it keeps a copy some minutes"
                    + " behind the console; try again later");
            return;
        }
        List<String> boot = new ArrayList<>();
        ConsoleText.bootLines(lines).forEach(l -> boot.add(l.line()));
        if (boot.isEmpty()) {
            progress.info("No line of the ec2spotter boot script or init stub in it"
                    + (all ? "" : "; --all shows the whole console"));
        }
        boot.forEach(progress::result);
        if (all) {
            progress.result(WHOLE_CONSOLE);
            lines.forEach(progress::result);
        }
    }
}
