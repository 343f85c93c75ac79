package io.github.ec2spotter.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.ec2spotter.testing.FakeImds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The interruption watcher ({@code watcher.sh}, as the boot script writes it onto the volume)
 * run for real by dash and busybox sh, as nobody, against the fake metadata service on
 * loopback, polling every second. Its files live under a scratch root (its {@code root}
 * parameter): the hooks in etc/ec2spotter/*.d, the log, the record of handled notices. Two
 * commands are wrapped in PATH: {@code wall}, which only records what it was given (the real
 * one would write to every terminal of this shared machine), and {@code sync}, which records
 * that it ran and then syncs. Its unit is checked by systemd-analyze; the QEMU tier on a
 * systemd volume is where systemd runs it.
 */
class WatcherIT {
    static final Pattern TIMESTAMPED = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ec2spotter-watcher: .+");

    @TempDir
    static Path shared;
    static FakeImds imds;

    @TempDir
    Path dir;
    Path root;
    Path bin;
    Path journal;
    Process watcher;
    int started;

    @BeforeAll
    static void start() throws IOException {
        for (String[] tool : new String[][] {{"dash", "dash"}, {"busybox", "busybox-static"}, {"curl", "curl"},
            {"timeout", "coreutils"}, {"setpriv", "util-linux"}, {"unshare", "util-linux"},
            {"systemd-analyze", "systemd"}, {"python3", "python3"}}) {
            Shells.require(tool[0], tool[1]);
        }
        if (!"0".equals(Shells.ok(List.of("id", "-u")).trim())) {
            fail("WatcherIT runs the watcher as nobody and checks its unit in a mount namespace: run it as root");
        }
        imds = FakeImds.start(shared);
    }

    @AfterAll
    static void stopImds() throws Exception {
        if (imds != null) {
            imds.close();
        }
    }

    static Stream<List<String>> shells() {
        return Shells.POSIX_SHELLS.stream();
    }

    @BeforeEach
    void scratchRoot() throws IOException {
        imds.serve("i-0123456789abcdef0", "us-east-1d", "us-east-1", null, null, null, null);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        root = dir.resolve("root");
        for (String d : List.of("etc/ec2spotter/interruption.d", "etc/ec2spotter/rebalance.d", "var/log")) {
            Files.createDirectories(root.resolve(d));
        }
        bin = Files.createDirectories(dir.resolve("bin"));
        executable(bin.resolve("wall"), "#!/bin/sh\ncat >>'" + root.resolve("wall.log") + "'\n");
        executable(bin.resolve("sync"), "#!/bin/sh\necho sync >>'" + root.resolve("sequence") + "'\nexec /bin/sync \"$@\"\n");
        journal = dir.resolve("journal");
    }

    @AfterEach
    void stopWatcher() throws InterruptedException {
        stop();
    }

    @ParameterizedTest
    @MethodSource("shells")
    void anInterruptionNoticeRunsTheHooksWithTheActionAndTimeThenSyncs(List<String> shell) throws Exception {
        hook("interruption.d/10-checkpoint", """
                echo "hook 10-checkpoint" >>"$ROOT/sequence"
                env | grep '^EC2SPOTTER_' | sort >"$ROOT/checkpoint.env"
                echo "saving the model"
                echo "to stderr" >&2
                printf 'last line without a newline'
                """);
        Files.writeString(root.resolve("etc/ec2spotter/interruption.d/README"), "not a hook\n");
        hook("rebalance.d/10-rebalance", "touch \"$ROOT/rebalance.ran\"\n");
        start(shell, Map.of());

        Instant at = Instant.now().plusSeconds(120);
        imds.instanceAction("terminate", at);
        awaitLog("interruption notice handled", 30);

        List<String> env = Files.readAllLines(root.resolve("checkpoint.env"));
        assertEquals(List.of("EC2SPOTTER_ACTION=terminate", "EC2SPOTTER_EVENT=interruption"), env.subList(0, 2));
        assertEquals("EC2SPOTTER_TIME=" + FakeImds.ec2Time(at), env.get(2));
        int timeout = Integer.parseInt(env.get(3).substring("EC2SPOTTER_TIMEOUT=".length()));
        assertTrue(timeout >= 78 && timeout <= 85, "120 s ahead, less 30 s for the shutdown and 5 s of grace: " + env);
        assertEquals(4, env.size(), env.toString());

        String message = "spot interruption notice: EC2 will terminate this instance at " + FakeImds.ec2Time(at);
        List<String> log = log();
        for (String line : log) {
            assertTrue(TIMESTAMPED.matcher(line).matches(), line);
        }
        String logText = String.join("\n", log);
        for (String expected : List.of(message, "10-checkpoint: saving the model", "10-checkpoint: to stderr",
                "10-checkpoint: last line without a newline", "hook 10-checkpoint done after ",
                "skipping " + root.resolve("etc/ec2spotter/interruption.d/README") + ": not executable",
                "started 1 hook(s)", "interruption notice handled; disks synced")) {
            assertTrue(logText.contains("ec2spotter-watcher: " + expected), expected + " not in\n" + logText);
            assertTrue(journal().contains("ec2spotter-watcher: " + expected), expected + " not in the journal");
        }
        assertEquals("ec2spotter: " + message + "\n", Files.readString(root.resolve("wall.log")));
        // busybox sh runs its own sync applet, never the one in PATH: only dash shows the order.
        List<String> sequence = shell.get(0).equals("dash") ? List.of("hook 10-checkpoint", "sync") : List.of("hook 10-checkpoint");
        assertEquals(sequence, Files.readAllLines(root.resolve("sequence")));
        assertFalse(Files.exists(root.resolve("rebalance.ran")), "an interruption ran the rebalance hooks");
        assertOnlyImdsV2();
        assertTrue(watcher.isAlive(), "the watcher stopped after the notice: " + journal());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aNoticeIsHandledOnceEvenByARestartedWatcher(List<String> shell) throws Exception {
        hook("interruption.d/run", "echo \"$EC2SPOTTER_TIME\" >>\"$ROOT/runs\"\n");
        start(shell, Map.of());
        Instant at = Instant.now().plusSeconds(120);
        imds.instanceAction("terminate", at);
        awaitLog("interruption notice handled", 30);
        awaitPolls(3);
        stop();

        start(shell, Map.of());
        awaitPolls(3);
        assertEquals(List.of(FakeImds.ec2Time(at)), Files.readAllLines(root.resolve("runs")),
                "the notice was handled again");

        // A new notice (after a stop and start, say) is handled.
        Instant later = at.plusSeconds(600);
        imds.instanceAction("stop", later);
        await(() -> lines(root.resolve("runs")).size() == 2, 30, "the new notice's hook did not run");
        assertEquals(List.of(FakeImds.ec2Time(at), FakeImds.ec2Time(later)), Files.readAllLines(root.resolve("runs")));
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aRebalanceRecommendationRunsOnlyTheRebalanceHooksAndPollingGoesOn(List<String> shell) throws Exception {
        hook("rebalance.d/drain", """
                env | grep '^EC2SPOTTER_' | sort >"$ROOT/env.tmp" && mv "$ROOT/env.tmp" "$ROOT/rebalance.env"
                sleep 6
                echo done >"$ROOT/rebalance.done"
                """);
        hook("interruption.d/save", "touch \"$ROOT/interruption.ran\"\n");
        start(shell, Map.of());
        Instant noticed = Instant.now();
        imds.rebalance(noticed);
        await(() -> Files.exists(root.resolve("rebalance.env")), 30, "the rebalance hook did not run");
        assertEquals(List.of("EC2SPOTTER_ACTION=rebalance", "EC2SPOTTER_EVENT=rebalance",
                "EC2SPOTTER_TIME=" + FakeImds.ec2Time(noticed)), lines(root.resolve("rebalance.env")).subList(0, 3));
        String timeout = lines(root.resolve("rebalance.env")).get(3);
        assertEquals("EC2SPOTTER_TIMEOUT=85", timeout, "as if the interruption were 2 minutes away");
        awaitPolls(2);
        assertFalse(Files.exists(root.resolve("interruption.ran")), "a rebalance ran the interruption hooks");

        // While the rebalance hook still runs, the interruption comes.
        imds.instanceAction("terminate", Instant.now().plusSeconds(120));
        await(() -> Files.exists(root.resolve("interruption.ran")), 30, "the interruption hook did not run");
        assertFalse(Files.exists(root.resolve("rebalance.done")), "polling waited for the rebalance hooks");
        awaitLog("rebalance notice handled", 30);
        assertTrue(log().stream().anyMatch(l -> l.contains("rebalance recommendation (" + FakeImds.ec2Time(noticed)
                + "): EC2 may interrupt this spot instance soon")), String.join("\n", log()));
    }

    @ParameterizedTest
    @MethodSource("shells")
    void hooksStillRunningAtTheirDeadlineAreStoppedAndTheRestIsDone(List<String> shell) throws Exception {
        hook("interruption.d/10-polite", """
                trap 'echo "got TERM" >>"$ROOT/polite"; exit 0' TERM
                echo "$EC2SPOTTER_TIMEOUT" >"$ROOT/polite"
                while :; do sleep 1; done
                """);
        hook("interruption.d/20-stubborn", "trap '' TERM\nwhile :; do sleep 1; done\n");
        hook("interruption.d/30-failing", "echo 'disk full' >&2\nexit 3\n");
        // Done at once, but leaves a process holding its output open: that must not hold the watcher up.
        hook("interruption.d/40-daemon", "sleep 40 &\necho 'left a daemon'\n");
        start(shell, Map.of());
        // A notice found late (its time has passed): the hooks still get the minimum, 10 s.
        imds.instanceAction("terminate", Instant.now().minusSeconds(60));
        awaitLog("spot interruption notice", 30);
        long seen = System.nanoTime();
        awaitLog("interruption notice handled", 40);
        double took = (System.nanoTime() - seen) / 1e9;

        assertEquals(List.of("10", "got TERM"), lines(root.resolve("polite")));
        String logText = String.join("\n", log());
        assertTrue(logText.contains("hook 10-polite was still running at its deadline (10s): stopped"), logText);
        assertTrue(logText.contains("hook 20-stubborn was still running at its deadline (10s): stopped"), logText);
        // The seconds a quick hook took depend on the machine's load: any whole number will do.
        assertTrue(logText.contains("30-failing: disk full")
                && Pattern.compile("hook 30-failing failed after [0-9]+s \\(exit 3\\)").matcher(logText).find(), logText);
        assertTrue(logText.contains("40-daemon: left a daemon")
                && Pattern.compile("hook 40-daemon done after [0-9]+s").matcher(logText).find(), logText);
        // TERM at 10 s; KILL for the one that ignores it 5 s later; then sync. Well before the
        // daemon's 40 s sleep ends: the watcher did not wait for the process it left behind.
        assertTrue(took >= 13 && took < 38, "handled after " + took + " s");
        Thread.sleep(1500);
        assertTrue(watcher.descendants().noneMatch(p -> p.info().commandLine().orElse("").contains("20-stubborn")),
                "the stubborn hook survived its KILL");
    }

    @ParameterizedTest
    @MethodSource("shells")
    void anExpiredTokenIsReplaced(List<String> shell) throws Exception {
        hook("interruption.d/save", "touch \"$ROOT/saved\"\n");
        start(shell, Map.of("token_ttl", "2"));
        await(() -> requests().stream().filter(l -> l.startsWith("PUT /latest/api/token 200")).count() >= 3, 30,
                "the watcher did not renew its 2-second token");
        imds.instanceAction("terminate", Instant.now().plusSeconds(120));
        await(() -> Files.exists(root.resolve("saved")), 30, "the hook did not run");

        List<String> requests = requests();
        assertTrue(requests.stream().anyMatch(l -> l.endsWith(" 401 token=invalid")), requests.toString());
        assertNewTokenAfterEvery401(requests);
        assertOnlyImdsV2();
        assertFalse(String.join("\n", log()).contains("does not answer"), "an expired token was reported as trouble");
    }

    @ParameterizedTest
    @MethodSource("shells")
    void imdsUnreachableForAWhileThenBackWithoutItsTokens(List<String> shell) throws Exception {
        hook("interruption.d/save", "touch \"$ROOT/saved\"\n");
        start(shell, Map.of());
        awaitPolls(2);
        imds.unreachable(true);
        awaitLog("does not answer", 30);
        Thread.sleep(8000);
        assertTrue(watcher.isAlive(), journal());
        assertEquals(1, log().stream().filter(l -> l.contains("does not answer")).count(),
                "each failed poll was logged: " + log());
        assertTrue(String.join("\n", log()).contains("IMDS at " + imds.url() + " does not answer (HTTP 000 000 )"),
                String.join("\n", log()));

        imds.revokeTokens();
        imds.instanceAction("terminate", Instant.now().plusSeconds(120));
        imds.unreachable(false);
        await(() -> Files.exists(root.resolve("saved")), 30, "the hook did not run once IMDS was back");
        assertTrue(String.join("\n", log()).matches("(?s).*IMDS answers again, after \\d+s.*"), String.join("\n", log()));
        List<String> requests = requests();
        assertTrue(requests.stream().anyMatch(l -> l.endsWith(" 401 token=invalid")), "the old token was never refused: "
                + requests);
        assertNewTokenAfterEvery401(requests);
    }

    /** IMDS is not trusted to send shell: the notice's fields are checked, the hooks still run. */
    @Test
    void aNoticeWithHostileFieldsIsDataAndStillRunsTheHooks() throws Exception {
        hook("interruption.d/save", "env | grep '^EC2SPOTTER_' | sort >\"$ROOT/env.tmp\" && mv \"$ROOT/env.tmp\" \"$ROOT/saved\"\n");
        start(List.of("dash"), Map.of());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("action", "$(touch CANARY)");
        fields.put("time", "`touch CANARY`2024-05-01T10:02:00Z");
        imds.instanceAction(fields);
        await(() -> Files.exists(root.resolve("saved")), 30, "the hook did not run");

        assertEquals(List.of("EC2SPOTTER_ACTION=unknown", "EC2SPOTTER_EVENT=interruption", "EC2SPOTTER_TIME=",
                "EC2SPOTTER_TIMEOUT=85"), lines(root.resolve("saved")));
        assertTrue(String.join("\n", log()).contains("EC2 will unknown this instance at a time it did not say"),
                String.join("\n", log()));
        for (Path place : List.of(root, dir, root.resolve("etc/ec2spotter/interruption.d"))) {
            assertFalse(Files.exists(place.resolve("CANARY")), "the notice ran a command in " + place);
        }
    }

    @Test
    void withoutCurlTheWatcherSaysSoAndExits3() throws Exception {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("date", "mkdir", "chmod", "sleep", "timeout", "sed")) {
            Files.createSymbolicLink(tools.resolve(tool), Path.of(Shells.ok(List.of("sh", "-c", "command -v " + tool)).trim()));
        }
        Path script = renderWatcher(Map.of());
        Process p = processAsNobody(List.of("/usr/bin/dash", script.toString()), tools.toString()).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the watcher kept running without curl");
        assertEquals(3, p.exitValue(), journal());
        assertTrue(journal().contains("ec2spotter-watcher: ERROR: command curl not found: the watcher cannot run"), journal());
        assertEquals(List.of(), requests());
    }

    /** The unit as written onto the volume, its ExecStart there (a tmpfs over /usr/local/sbin, in a mount namespace). */
    @Test
    void theUnitPassesSystemdAnalyzeVerify() throws Exception {
        Path unit = Files.writeString(dir.resolve("ec2spotter-watcher.service"),
                BootScript.renderResource("ec2spotter-watcher.service", Map.of()));
        Path script = renderWatcher(Map.of());
        Shells.Result r = Shells.run(List.of("unshare", "-m", "sh", "-c", "mount --make-rprivate / && "
                + "mount -t tmpfs tmpfs /usr/local/sbin && cp \"$0\" /usr/local/sbin/ec2spotter-watcher && "
                + "chmod 755 /usr/local/sbin/ec2spotter-watcher && systemd-analyze verify \"$1\"",
                script.toString(), unit.toString()), Map.of(), dir, Duration.ofSeconds(60));
        assertEquals(0, r.exit(), r.both());
        assertEquals("", r.stderr().strip(), "systemd-analyze had something to say: " + r.both());
    }

    // --- fixture ---

    private void start(List<String> shell, Map<String, String> params) throws IOException, InterruptedException {
        Path script = renderWatcher(params);
        List<String> command = new ArrayList<>(shell);
        command.add(script.toString());
        started++;
        watcher = processAsNobody(command, bin + ":/usr/sbin:/usr/bin:/sbin:/bin").start();
        awaitLog("watching " + imds.url(), 20);
    }

    private Path renderWatcher(Map<String, String> params) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("imds_url", imds.url());
        all.put("root", root.toString());
        all.put("poll_seconds", "1");
        all.putAll(params);
        Path script = Files.writeString(dir.resolve("watcher.sh"), BootScript.renderResource("watcher.sh", all));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        Shells.ok(List.of("chown", "-R", "nobody:", root.toString()));
        return script;
    }

    private ProcessBuilder processAsNobody(List<String> command, String path) {
        List<String> full = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(journal.toFile()));
        builder.environment().clear();
        builder.environment().put("PATH", path);
        // The hooks find the scratch root here; the watcher itself does not read it.
        builder.environment().put("ROOT", root.toString());
        return builder;
    }

    private void stop() throws InterruptedException {
        if (watcher != null) {
            watcher.descendants().forEach(ProcessHandle::destroyForcibly);
            watcher.destroy();
            if (!watcher.waitFor(10, TimeUnit.SECONDS)) {
                watcher.destroyForcibly().waitFor();
            }
            watcher = null;
        }
    }

    private void hook(String name, String body) throws IOException {
        executable(root.resolve("etc/ec2spotter/" + name), "#!/bin/sh\n" + body);
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> log() throws IOException {
        return lines(root.resolve("var/log/ec2spotter.log"));
    }

    private List<String> logLines() {
        try {
            return log();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String journal() {
        try {
            return Files.exists(journal) ? Files.readString(journal) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> requests() {
        try {
            return imds.requests();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Until TEXT is in the journal and in the log file: say writes the journal first, the file just after. */
    private void awaitLog(String text, int seconds) throws InterruptedException {
        await(() -> journal().lines().filter(l -> l.contains(text)).count() >= countIn(text)
                && logLines().stream().filter(l -> l.contains(text)).count() >= countIn(text), seconds,
                "no '" + text + "' in the journal and the log");
    }

    /** A line the current watcher has to write: lines of the earlier watchers of this test count too. */
    private long countIn(String text) {
        return text.startsWith("watching ") ? started : 1;
    }

    /** Waits until the watcher has polled IMDS N more times (both notices each time). */
    private void awaitPolls(int polls) throws InterruptedException {
        long before = requests().stream().filter(l -> l.startsWith("GET /latest/meta-data/spot/instance-action")).count();
        await(() -> requests().stream().filter(l -> l.startsWith("GET /latest/meta-data/spot/instance-action")).count()
                >= before + polls, 30, "the watcher stopped polling");
    }

    private void await(BooleanSupplier condition, int seconds, String failure) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(seconds);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                fail(failure + " within " + seconds + " s; journal:\n" + journal() + "\nIMDS:\n" + String.join("\n", requests()));
            }
            if (watcher != null && !watcher.isAlive()) {
                fail("the watcher exited (" + watcher.exitValue() + "): " + failure + "; journal:\n" + journal());
            }
            Thread.sleep(200);
        }
    }

    /** A poll refused with 401 (both notices in one curl) is followed by a new token. */
    private static void assertNewTokenAfterEvery401(List<String> requests) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).equals("GET /latest/meta-data/spot/instance-action 401 token=invalid")) {
                assertEquals("GET /latest/meta-data/events/recommendations/rebalance 401 token=invalid", requests.get(i + 1));
                assertTrue(requests.get(i + 2).startsWith("PUT /latest/api/token 200"), "no new token after a 401: " + requests);
            }
        }
    }

    /** Every metadata read carried a token: no IMDSv1. */
    private void assertOnlyImdsV2() {
        List<String> requests = requests();
        assertTrue(requests.get(0).startsWith("PUT /latest/api/token 200"), requests.toString());
        assertTrue(requests.stream().noneMatch(l -> l.endsWith("token=missing")), requests.toString());
    }
}
