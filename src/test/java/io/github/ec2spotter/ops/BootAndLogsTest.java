package io.github.ec2spotter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.model.Tags;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * status's boot and interruption lines and logs, against a fake EC2 whose instance has a hostile
 * console (escape sequences, a forged ec2spotter line in colours) and the boot script's failure
 * tags: what moto cannot give (its console is a fixed text, its requests are always fulfilled).
 */
class BootAndLogsTest {
    /** What a console that wants to take over the reader's terminal could hold, around boot.sh's real lines. */
    static final String HOSTILE_CONSOLE = "[    0.000000] Linux version 6.1.0-28-cloud-amd64\r\n"
            + "\u001b]0;owned\u0007\u001b[2J\u001b[H[    3.1] systemd[1]: Started \u001b[0;1;39mcloud-init\u001b[0m.\r\n"
            + "[   19.18] cloud-init[1208]: 2026-12-02T10:00:01Z ec2spotter: boot script started for volume vol-1\r\n"
            + "2026-12-02T10:00:02Z ec2spotter: ERROR: volume vol-1 is attached to i-other\r\n"
            + "2026-12-02T10:00:02Z ec2spotter: boot=failed reason=volume vol-1 is attached to i-other\r\n"
            + "\u001b[1A\u001b[2K\u001b[32mec2spotter: volume vol-1 is attached \u001b]52;c;ZWNobyBvd25lZA==\u0007\u001b[0m\r\n"
            + "login: \u009b6n\r\n";

    private final FakeEc2 ec2 = new FakeEc2("us-east-1");
    private final RecordedProgress progress = new RecordedProgress();
    private LaunchSettings settings;

    @BeforeEach
    void world(@TempDir Path dir) throws Exception {
        settings = Confs.settings(dir, "");
        ec2.requests.add(Confs.request("sir-00000001", "closed", Optional.of("i-00000001")));
        ec2.requests.add(Confs.request("sir-00000002", "active", Optional.of("i-00000002")));
        ec2.instances.put("i-00000001", Confs.instance("i-00000001", "terminated"));
        ec2.instances.put("i-00000002", Confs.instance("i-00000002", "running"));
        ec2.volumes.add(Confs.volume("us-east-1d", "available", Optional.empty()));
        ec2.consoles.put("i-00000002", HOSTILE_CONSOLE);
        ec2.instanceTags.put("i-00000002", Map.of(Tags.BOOT, "failed",
                Tags.BOOT_REASON, "volume vol-1 is attached to i-other"));
    }

    private static void assertNoControl(List<String> lines) {
        for (String line : lines) {
            assertTrue(line.chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f || c >= 0x80 && c < 0xa0),
                    () -> "a control character in: " + line.replace("\u001b", "ESC"));
        }
    }

    @Test
    void statusTellsTheCurrentInstancesFailureFromItsTags() {
        StatusReport report = StatusReport.of(settings, ec2, region -> ec2);
        List<String> lines = report.lines();
        assertTrue(lines.contains("Boot of i-00000002: failed: volume vol-1 is attached to i-other (the instance runs"
                + " its pre-boot system) [tag ec2spotter:boot]"), lines::toString);
        assertTrue(ec2.calls.contains("consoleOutput i-00000002"), ec2.calls::toString);
        assertFalse(ec2.calls.contains("consoleOutput i-00000001"), "a terminated instance is not the current one");
        assertNoControl(lines);
        String json = report.json();
        assertTrue(json.contains("\"boot\":{\"instanceId\":\"i-00000002\",\"stage\":\"failed\","
                + "\"reason\":\"volume vol-1 is attached to i-other\",\"source\":\"tag\""), json);
    }

    @Test
    void withoutTagsTheConsoleDecidesAndAForgedColourfulLineIsOnlyText() {
        ec2.instanceTags.clear();
        List<String> lines = StatusReport.of(settings, ec2, region -> ec2).lines();
        // The forged line, in colours, comes last and says "attached"; without boot.sh's time it is not its line.
        assertTrue(lines.contains("Boot of i-00000002: failed: volume vol-1 is attached to i-other (the instance runs"
                + " its pre-boot system) [console]"), lines::toString);
        assertNoControl(lines);
    }

    @Test
    void aConsoleThatCannotBeReadLeavesTheTagsAnswer() {
        ec2.failing("consoleOutput", "GetConsoleOutput failed: UnauthorizedOperation");
        List<String> lines = StatusReport.of(settings, ec2, region -> ec2).lines();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Boot of i-00000002: failed: volume vol-1")
                && l.endsWith("; console not read: GetConsoleOutput failed: UnauthorizedOperation")), lines::toString);
    }

    @Test
    void statusShowsTheLastInterruptionAndAPendingNotice() {
        ec2.requests.set(1, withStatus(ec2.requests.get(1), "marked-for-termination"));
        ec2.requests.add(withStatus(Confs.request("sir-00000003", "open", Optional.empty()),
                "instance-terminated-by-price"));
        StatusReport report = StatusReport.of(settings, ec2, region -> ec2);
        List<String> lines = report.lines();
        assertTrue(lines.contains("sir-00000002: interruption notice for i-00000002: PENDING, marked-for-termination"
                + " at 2026-12-02T09:58:00Z: EC2 is about to terminate the instance (a spot interruption)"), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("sir-00000003: last interruption:"
                + " instance-terminated-by-price at 2026-12-02T09:58:00Z: EC2 interrupted the instance")), lines::toString);
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("sir-00000001: last interruption")),
                "an ended request without interruption says nothing of it: " + lines);
        String json = report.json();
        assertTrue(json.contains("\"interruptionNotice\":{\"code\":\"marked-for-termination\","
                + "\"time\":\"2026-12-02T09:58:00Z\""), json);
        assertTrue(json.contains("\"lastInterruption\":{\"code\":\"instance-terminated-by-price\""), json);
    }

    @Test
    void logsPrintsTheBootLinesCleanedAndAllOnlyWithAll() {
        new ConsoleLog(ec2, region -> ec2, progress).show(settings, false);
        assertEquals(List.of(
                "result: [   19.18] cloud-init[1208]: 2026-12-02T10:00:01Z ec2spotter: boot script started for volume vol-1",
                "result: 2026-12-02T10:00:02Z ec2spotter: ERROR: volume vol-1 is attached to i-other",
                "result: 2026-12-02T10:00:02Z ec2spotter: boot=failed reason=volume vol-1 is attached to i-other"),
                progress.results());
        assertEquals("info: Console output of i-00000002 (running), as EC2 captured it at 2026-12-02T10:00:00Z",
                progress.lines.get(0));

        RecordedProgress all = new RecordedProgress();
        new ConsoleLog(ec2, region -> ec2, all).show(settings, true);
        List<String> results = all.results();
        assertEquals(3 + 1 + 7, results.size(), results::toString);
        assertEquals("result: " + ConsoleLog.WHOLE_CONSOLE, results.get(3));
        assertEquals("result: [    3.1] systemd[1]: Started cloud-init.", results.get(5));
        assertEquals("result: ec2spotter: volume vol-1 is attached ", results.get(9));
        assertEquals("result: login: ", results.get(10));
        assertNoControl(results);
    }

    @Test
    void logsWithoutACurrentInstanceFailsAndSaysSo() {
        ec2.instances.put("i-00000002", Confs.instance("i-00000002", "terminated"));
        Failure e = assertThrows(Failure.class, () -> new ConsoleLog(ec2, region -> ec2, progress).show(settings, false));
        assertTrue(e.getMessage().startsWith("no current instance for volume 'spotter' in us-east-1"), e::getMessage);
        assertFalse(ec2.calls.stream().anyMatch(c -> c.startsWith("consoleOutput")), ec2.calls::toString);
    }

    @Test
    void logsOfAnInstanceWithoutConsoleYetSaysWhy() {
        ec2.consoles.clear();
        new ConsoleLog(ec2, region -> ec2, progress).show(settings, true);
        assertTrue(progress.results().isEmpty(), progress.lines::toString);
        assertTrue(progress.lines.get(1).startsWith("info: EC2 has no console output for i-00000002 yet"),
                progress.lines::toString);
    }

    private static SpotRequestInfo withStatus(SpotRequestInfo r, String code) {
        return new SpotRequestInfo(r.id(), r.type(), r.state(), Optional.of(code), r.statusMessage(), r.instanceId(),
                r.instanceType(), r.zone(), r.name(), r.volumeId(), r.created(),
                Optional.of(Instant.parse("2026-12-02T09:58:00Z")));
    }
}
