package io.github.ec2spotter.plan;

import io.github.ec2spotter.model.Tags;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an instance's boot stands, read from the tags the boot script puts on it when it fails and
 * from the lines it and the init stub print on the console. The last line that says something
 * about the boot wins: the console keeps earlier boots' lines too, and the pivot happens after a
 * reboot. The failure tag wins over every line but a pivot, which only a later, successful boot
 * prints (the tag, once set, stays on the instance).
 *
 * <p>Both are the instance's own account of itself, readable by the user and writable by root on
 * the instance: a stage is printed as such, never acted on.
 */
public record BootStage(Stage stage, Optional<String> reason, String source) {
    public enum Stage {
        /** No line of the boot script in the console yet, and no failure tag. */
        UNKNOWN("no ec2spotter line on the console yet (EC2's copy lags by some minutes)"),
        /** The boot script runs, the volume is not attached yet. */
        STARTED("the boot script runs; the volume is not attached yet"),
        /** The volume is attached; the init stub pivots at the next boot. */
        ATTACHED("the volume is attached; the switch to it comes with the reboot"),
        /** The init stub switched the root filesystem to the volume, or the boot script found it already was. */
        PIVOTED("the persistent volume is the root filesystem"),
        /** The boot script or the init stub gave up; the instance runs its pre-boot system. */
        FAILED("the instance runs its pre-boot system");

        private final String meaning;

        Stage(String meaning) {
            this.meaning = meaning;
        }

        public String meaning() {
            return meaning;
        }

        /** The word status and JSON show: {@code attached}, {@code pivoted}, ... */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Pattern SCRIPT_FAILED = Pattern.compile("boot=failed reason=(.*)");
    private static final Pattern STUB_FAILED = Pattern.compile("(.*); starting the pre-boot system's init .*");

    /** From the instance's tags and its console's boot lines ({@link ConsoleText#bootLines}). */
    public static BootStage of(Map<String, String> tags, List<ConsoleText.BootLine> lines) {
        BootStage fromConsole = new BootStage(Stage.UNKNOWN, Optional.empty(), "console");
        for (ConsoleText.BootLine line : lines) {
            fromConsole = stageOf(line).orElse(fromConsole);
        }
        if ("failed".equals(tags.get(Tags.BOOT)) && fromConsole.stage() != Stage.PIVOTED) {
            String reason = tags.getOrDefault(Tags.BOOT_REASON, "").strip();
            return new BootStage(Stage.FAILED, Optional.of(reason.isEmpty() ? "no reason given" : reason), "tag");
        }
        return fromConsole;
    }

    /**
     * Which kernel runs the volume's system and why, as the boot script last said it ({@code kernel:
     * the volume's own VERSION ...} or {@code kernel: the AMI's VERSION ...}); empty when the console
     * does not have it.
     */
    public static Optional<String> kernel(List<ConsoleText.BootLine> lines) {
        Optional<String> said = Optional.empty();
        for (ConsoleText.BootLine line : lines) {
            if (!line.fromStub() && line.message().startsWith("kernel: ")) {
                said = Optional.of(line.message().substring("kernel: ".length()).strip());
            }
        }
        return said;
    }

    private static Optional<BootStage> stageOf(ConsoleText.BootLine line) {
        String m = line.message();
        if (line.fromStub()) {
            if (m.startsWith("booting the persistent volume")) {
                return Optional.of(console(Stage.PIVOTED, null));
            }
            Matcher failed = STUB_FAILED.matcher(m);
            return failed.matches() ? Optional.of(console(Stage.FAILED, failed.group(1))) : Optional.empty();
        }
        Matcher failed = SCRIPT_FAILED.matcher(m);
        if (failed.matches()) {
            return Optional.of(console(Stage.FAILED, failed.group(1)));
        }
        if (m.startsWith("/ is already the persistent volume")) {
            return Optional.of(console(Stage.PIVOTED, null));
        }
        if (m.startsWith("volume ") && (m.endsWith(" is attached") || m.endsWith(" is already attached to this instance"))) {
            return Optional.of(console(Stage.ATTACHED, null));
        }
        if (m.startsWith("boot script started")) {
            return Optional.of(console(Stage.STARTED, null));
        }
        return Optional.empty();
    }

    private static BootStage console(Stage stage, String reason) {
        return new BootStage(stage, Optional.ofNullable(reason).map(String::strip), "console");
    }

    /** One sentence: {@code pivoted: the persistent volume is ...} or {@code failed: REASON (...)}. */
    public String sentence() {
        return stage.word() + ": " + reason.map(r -> r + " (" + stage.meaning() + ")").orElse(stage.meaning());
    }
}
