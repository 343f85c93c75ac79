package io.github.ec2spotter.ops;

import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.ConsoleOutput;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.Tags;
import io.github.ec2spotter.plan.BootStage;
import io.github.ec2spotter.plan.ConsoleText;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the current instance's boot stands, for {@code status}: from its tags and its console.
 * A console that cannot be read (no {@code ec2:GetConsoleOutput} permission, say) leaves the
 * tags' answer and says why, rather than failing the whole status.
 */
public record InstanceBoot(String instanceId, BootStage stage, Optional<String> kernel,
                           Optional<Instant> consoleCaptured, Optional<String> consoleProblem) {

    static InstanceBoot read(Ec2 ec2, String instanceId) {
        Map<String, String> tags = ec2.instanceTags(instanceId);
        try {
            ConsoleOutput console = ec2.consoleOutput(instanceId);
            List<ConsoleText.BootLine> lines = ConsoleText.bootLines(ConsoleText.lines(console.text()));
            return new InstanceBoot(instanceId, BootStage.of(tags, lines), BootStage.kernel(lines), console.captured(),
                    Optional.empty());
        } catch (Failure e) {
            return new InstanceBoot(instanceId, BootStage.of(tags, List.of()), Optional.empty(), Optional.empty(),
                    Optional.of(e.getMessage()));
        }
    }

    /**
     * {@code Boot of i-...: pivoted: ...}, with where that was read. Not when EC2 took the console's
     * copy: that is in the JSON and in {@code logs}, and a table that changes with every call
     * cannot be compared with another run's.
     */
    String sentence() {
        String seen = stage.source().equals("tag") ? "tag " + Tags.BOOT : "console";
        return "Boot of " + instanceId + ": " + stage.sentence() + " [" + seen + "]"
                + consoleProblem.map(p -> "; console not read: " + p).orElse("");
    }

    /** {@code Kernel of i-...: the volume's own 6.12...}: the boot script's choice, when the console has it. */
    Optional<String> kernelSentence() {
        return kernel.map(k -> "Kernel of " + instanceId + ": " + k + " [console]");
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instanceId", instanceId);
        m.put("stage", stage.stage().word());
        m.put("reason", stage.reason());
        m.put("source", stage.source());
        m.put("kernel", kernel);
        m.put("consoleCaptured", consoleCaptured);
        m.put("consoleProblem", consoleProblem);
        return m;
    }
}
