package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.testing.FaultProxy;
import io.github.ec2spotter.testing.Jar;
import io.github.ec2spotter.testing.Moto;
import io.github.ec2spotter.testing.MotoTest;
import io.github.ec2spotter.testing.Seed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * status's boot and interruption lines and the logs command, run as the jar against moto.
 * moto answers GetConsoleOutput with a fixed kernel log without an ec2spotter line, and fulfils
 * every spot request at once; the failure tags are set on its instance as the boot script does
 * (CreateTags), and a hostile console comes from a proxy in front of moto. Other status codes and
 * consoles: ops.BootAndLogsTest and plan's tests.
 */
class BootLogsIT extends MotoTest {
    Jar jar;

    @BeforeEach
    void prepare() throws IOException {
        jar = Jar.built(dir).env("AWS_ENDPOINT_URL_EC2", moto.endpoint());
    }

    @Test
    void statusShowsTheFailureTheBootScriptTaggedAndNoInterruption() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        String instance = instanceOf(launch());
        // What boot.sh's report_failure does with the role's credentials.
        ec2.createTags(r -> r.resources(instance).tags(Tag.builder().key("ec2spotter:boot").value("failed").build(),
                Tag.builder().key("ec2spotter:boot-reason").value("volume vol-1 is attached to i-0other").build()));
        moto.clearRecording();

        Jar.Result table = jar.run("status", conf().toString(), creds().toString());

        assertEquals(0, table.exitCode(), table::toString);
        assertTrue(table.stdout().contains("Boot of " + instance + ": failed: volume vol-1 is attached to i-0other (the"
                + " instance runs its pre-boot system) [tag ec2spotter:boot]"), table::toString);
        assertTrue(table.stdout().contains(": last interruption: none in its status (EC2 keeps only the latest status)"),
                table::toString);
        assertTrue(table.stdout().contains(": interruption notice for " + instance + ": none pending"), table::toString);
        assertEquals(instance, moto.calls("GetConsoleOutput").get(0).param("InstanceId"));

        Jar.Result json = jar.run("status", "--output", "json", conf().toString(), creds().toString());

        assertEquals(0, json.exitCode(), json::toString);
        Map<String, JsonNode> doc = JsonNodeParser.create().parse(json.stdout()).asObject();
        Map<String, JsonNode> boot = doc.get("boot").asObject();
        assertEquals(instance, boot.get("instanceId").asString());
        assertEquals("failed", boot.get("stage").asString());
        assertEquals("volume vol-1 is attached to i-0other", boot.get("reason").asString());
        assertEquals("tag", boot.get("source").asString());
        assertTrue(boot.get("consoleCaptured").asString().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), boot::toString);
        Map<String, JsonNode> request = doc.get("requests").asArray().get(0).asObject();
        assertTrue(request.get("lastInterruption").isNull(), request::toString);
        assertTrue(request.get("interruptionNotice").isNull(), request::toString);
    }

    /** moto's console is a kernel log: no ec2spotter line, so the stage is unknown. */
    @Test
    void statusWithoutTagsReadsMotosConsoleAsNoBootLineYet() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        String instance = instanceOf(launch());

        Jar.Result r = jar.run("status", conf().toString(), creds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("Boot of " + instance + ": unknown: no ec2spotter line on the console yet"),
                r::toString);
    }

    @Test
    void logsFiltersMotosConsoleAndAllPrintsItWhole() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        String instance = instanceOf(launch());
        moto.clearRecording();

        Jar.Result boot = jar.run("logs", conf().toString(), creds().toString());

        assertEquals(0, boot.exitCode(), boot::toString);
        assertEquals("", boot.stdout(), "moto's console has no ec2spotter line: " + boot);
        assertTrue(boot.stderr().startsWith("Console output of " + instance + " (running), as EC2 captured it at "),
                boot::toString);
        assertTrue(boot.stderr().contains("No line of the ec2spotter boot script or init stub in it; --all shows the"
                + " whole console"), boot::toString);
        assertEquals(instance, moto.calls("GetConsoleOutput").get(0).param("InstanceId"));

        Jar.Result all = jar.run("logs", "--all", conf().toString(), creds().toString());

        assertEquals(0, all.exitCode(), all::toString);
        List<String> lines = all.stdout().lines().toList();
        assertEquals("--- the whole console output ---", lines.get(0), all::toString);
        assertTrue(lines.get(1).startsWith("Linux version 2.6.16-xenU"), all::toString);
        assertTrue(lines.contains("Kernel command line: root=/dev/sda1 ro 4"), all::toString);
        assertEquals("Enabling fast FPU save and restore... done.", lines.get(lines.size() - 1), all::toString);
        assertEquals(11, lines.size(), all::toString);
    }

    /**
     * An endpoint (here a proxy in front of moto) that answers GetConsoleOutput with a console full
     * of escape sequences, among them a forged ec2spotter line in colours: nothing raw reaches
     * stdout or stderr, and the boot script's real lines are shown cleaned.
     */
    @Test
    void aHostileConsoleReachesTheTerminalCleaned() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        String instance = instanceOf(launch());
        String hostile = "\u001b]0;owned\u0007\u001b[2J[    3.1] systemd[1]: Started \u001b[0;1;39mcloud-init\u001b[0m.\r\n"
                + "[   19.18] cloud-init[1208]: 2026-12-02T10:00:01Z ec2spotter: boot script started for volume vol-1\r\n"
                + "2026-12-02T10:00:02Z ec2spotter: boot=failed reason=\u001b]52;c;ZWNobyBvd25lZA==\u0007no role credentials\r\n"
                + "\u001b[1A\u001b[2K\u001b[32mec2spotter: pivoted, all is well\u001b[0m\u009b6n\r\n";
        String encoded = Base64.getEncoder().encodeToString(hostile.getBytes(StandardCharsets.UTF_8));
        try (FaultProxy proxy = FaultProxy.to(moto.endpoint())) {
            proxy.fail("GetConsoleOutput", Integer.MAX_VALUE, new FaultProxy.Rewrite(xml -> xml
                    .replaceAll("(?s)<output>.*?</output>", "<output>" + encoded + "</output>")));
            Jar viaProxy = Jar.built(dir).env("AWS_ENDPOINT_URL_EC2", proxy.endpoint());

            Jar.Result logs = viaProxy.run("logs", "--all", conf().toString(), creds().toString());
            Jar.Result status = viaProxy.run("status", conf().toString(), creds().toString());

            assertEquals(0, logs.exitCode(), logs::toString);
            assertEquals(List.of("[   19.18] cloud-init[1208]: 2026-12-02T10:00:01Z ec2spotter: boot script started for"
                            + " volume vol-1",
                    "2026-12-02T10:00:02Z ec2spotter: boot=failed reason=no role credentials",
                    "--- the whole console output ---",
                    "[    3.1] systemd[1]: Started cloud-init.",
                    "[   19.18] cloud-init[1208]: 2026-12-02T10:00:01Z ec2spotter: boot script started for volume vol-1",
                    "2026-12-02T10:00:02Z ec2spotter: boot=failed reason=no role credentials",
                    "ec2spotter: pivoted, all is well"), logs.stdout().lines().toList(), logs::toString);
            assertEquals(0, status.exitCode(), status::toString);
            assertTrue(status.stdout().contains("Boot of " + instance + ": failed: no role credentials (the instance"
                    + " runs its pre-boot system) [console]"), status::toString);
            assertTrue(proxy.calls("GetConsoleOutput") >= 2);
            for (Jar.Result r : List.of(logs, status)) {
                for (String out : List.of(r.stdout(), r.stderr())) {
                    assertTrue(out.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f
                            || c >= 0x80 && c < 0xa0), () -> "a raw control character in: " + r);
                }
            }
        }
    }

    @Test
    void logsWithoutACurrentInstanceSaysSoAndExits1() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        launch();
        assertEquals(0, jar.run("stop", "--yes", conf().toString(), creds().toString()).exitCode());
        moto.clearRecording();

        Jar.Result r = jar.run("logs", conf().toString(), creds().toString());

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("", r.stdout(), r::toString);
        assertTrue(r.stderr().startsWith("error: no current instance for volume 'spotter' in us-east-1: no ec2spotter"
                + " spot request has an instance that is pending, running or stopped"), r::toString);
        assertTrue(moto.calls("GetConsoleOutput").isEmpty());
    }

    @Test
    void logsWithABadConfExits2WithoutCallingAws() throws Exception {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "ec2spotter_volume_name=spotter\n");
        moto.clearRecording();

        Jar.Result r = jar.run("logs", bad.toString(), creds().toString());

        assertEquals(2, r.exitCode(), r::toString);
        assertFalse(r.stderr().isBlank());
        List<Moto.Call> calls = moto.calls();
        assertTrue(calls.isEmpty(), calls::toString);
    }

    private String launch() throws Exception {
        return requestIdOf(jar.run("launch", conf().toString(), creds().toString()));
    }

    private static String instanceOf(String request) {
        return ec2.describeSpotInstanceRequests(r -> r.spotInstanceRequestIds(request)).spotInstanceRequests().get(0)
                .instanceId();
    }

    private Path conf() throws IOException {
        return writeConf(dir, seed.imageId(), "");
    }

    private Path creds() throws IOException {
        return motoCreds();
    }
}
