package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.testing.Jar;
import io.github.ec2spotter.testing.MotoTest;
import io.github.ec2spotter.testing.Seed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every command holds launch's line where a mistake could cost running work: the volume found by
 * name (none, or two), stop's confirmation whatever stdout and stderr are, and launch --force.
 * Each case runs the jar as a process against moto_server; the pty cases use util-linux script.
 */
class SafetyIT extends MotoTest {
    Jar jar;

    @BeforeEach
    void prepare() throws IOException {
        jar = Jar.built(dir).env("AWS_ENDPOINT_URL_EC2", moto.endpoint());
    }

    @Test
    void twoVolumesWithTheNameStopEveryCommandWithTheSameMessageNamingBoth() throws Exception {
        String first = Seed.volume(ec2, ZONE, "spotter");
        String request = launch();
        String second = Seed.volume(ec2, ZONE, "spotter");
        moto.clearRecording();

        Jar.Result status = jar.run("status", conf().toString(), creds().toString());
        Jar.Result stop = jar.run("stop", "--yes", conf().toString(), creds().toString());
        Jar.Result launch = jar.run("launch", conf().toString(), creds().toString());
        Jar.Result logs = jar.run("logs", conf().toString(), creds().toString());

        String error = errorLine(status);
        for (String id : List.of(first, second)) {
            assertTrue(error.contains(id), id + " not named: " + error);
        }
        assertTrue(error.startsWith("error: 2 EBS volumes are tagged Name=spotter in us-east-1: "), error);
        assertTrue(error.endsWith("; give the persistent volume a unique Name tag"), error);
        assertEquals("", status.stdout(), "no report about either volume: " + status);
        assertEquals(error, errorLine(stop), "the same message from stop");
        assertEquals(error, errorLine(launch), "the same message from launch");
        assertEquals(error, errorLine(logs), "the same message from logs");
        assertEquals(1, status.exitCode(), status::toString);
        assertEquals(1, stop.exitCode(), stop::toString);
        assertEquals(1, launch.exitCode(), launch::toString);
        assertEquals(1, logs.exitCode(), logs::toString);
        assertEquals("", logs.stdout(), "no console of either volume's instance: " + logs);
        assertTrue(moto.calls("GetConsoleOutput").isEmpty(), "logs read no console");
        assertTrue(moto.calls("CancelSpotInstanceRequests").isEmpty(), "stop changed nothing");
        assertTrue(moto.calls("TerminateInstances").isEmpty(), "stop changed nothing");
        assertTrue(moto.calls("RequestSpotInstances").isEmpty());
        assertEquals("active", ec2.describeSpotInstanceRequests(r -> r.spotInstanceRequestIds(request))
                .spotInstanceRequests().get(0).stateAsString());
    }

    /** A typo in the name: "Nothing to stop" would let the user believe the instance is gone. */
    @Test
    void aNameThatMatchesNothingIsAnErrorForEveryCommand() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        String request = launch();
        Path typo = dir.resolve("typo.conf");
        Files.writeString(typo, Files.readString(conf()).replace("volume_name=spotter", "volume_name=spoter")
                + "ec2spotter_volume_zone=us-east-1c\n");
        moto.clearRecording();

        Jar.Result status = jar.run("status", typo.toString(), creds().toString());
        Jar.Result stop = jar.run("stop", "--yes", typo.toString(), creds().toString());
        Jar.Result launch = jar.run("launch", typo.toString(), creds().toString());
        Jar.Result logs = jar.run("logs", typo.toString(), creds().toString());

        String error = errorLine(status);
        assertEquals("error: no EBS volume tagged Name=spoter in us-east-1 (check ec2spotter_volume_name and"
                + " ec2spotter_volume_zone in " + typo + ")", error);
        assertEquals(error, errorLine(stop));
        assertEquals(error, errorLine(launch));
        assertEquals(error, errorLine(logs), "logs names the volume, not a missing instance");
        assertEquals(1, status.exitCode(), status::toString);
        assertEquals(1, stop.exitCode(), stop::toString);
        assertEquals(1, launch.exitCode(), launch::toString);
        assertEquals(1, logs.exitCode(), logs::toString);
        assertFalse(stop.stdout().contains("Nothing to stop"), stop::toString);
        assertTrue(moto.calls("CancelSpotInstanceRequests").isEmpty());
        assertEquals("active", ec2.describeSpotInstanceRequests(r -> r.spotInstanceRequestIds(request))
                .spotInstanceRequests().get(0).stateAsString());

        // prices needs no volume, but marks a zone only where the volume is, not where the conf last saw it.
        Jar.Result prices = jar.run("prices", typo.toString(), creds().toString());
        assertEquals(0, prices.exitCode(), prices::toString);
        assertTrue(prices.stdout().lines().anyMatch(l -> l.startsWith("us-east-1c")), prices::toString);
        assertFalse(prices.stdout().contains("<- volume"), prices::toString);
    }

    @Test
    void stopWithoutATerminalAndWithoutYesRefusesWithExit2AndChangesNothing() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        String request = launch();
        moto.clearRecording();

        Jar.Result none = jar.run("stop", conf().toString(), creds().toString());
        // A "y" from a pipe is no person answering.
        Jar.Result piped = jar.runWithInput("y\n", "stop", conf().toString(), creds().toString());

        for (Jar.Result r : List.of(none, piped)) {
            assertEquals(2, r.exitCode(), r::toString);
            assertTrue(r.stderr().contains("cancel spot request " + request + " (persistent, active)"), r::toString);
            assertTrue(errorLine(r).contains("stdin is not a terminal: pass --yes to stop without asking; nothing"
                    + " was changed"), r::toString);
            assertFalse(r.stderr().contains("Go ahead?") || r.stdout().contains("Go ahead?"), r::toString);
        }
        assertTrue(moto.calls("CancelSpotInstanceRequests").isEmpty());
        assertTrue(moto.calls("TerminateInstances").isEmpty());

        Jar.Result yes = jar.run("stop", "--yes", conf().toString(), creds().toString());
        assertEquals(0, yes.exitCode(), yes::toString);
        assertTrue(yes.stdout().contains("Cancelled spot request " + request), yes::toString);
    }

    /**
     * stdout and stderr sent to files, stdin the terminal ({@code stop conf >log 2>err}): the plan
     * and the question appear on the terminal, not in the files, and the answer decides.
     */
    @Test
    void stopAsksOnTheTerminalWhateverStdoutAndStderrAre() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        String request = launch();
        moto.clearRecording();

        Jar.Result no = jar.runOnTerminalRedirected("n\n", ">no.out 2>no.err", "stop", conf().toString(),
                creds().toString());

        assertEquals(1, no.exitCode(), no::toString);
        assertTrue(no.stdout().contains("stop will:"), no::toString);
        assertTrue(no.stdout().contains("cancel spot request " + request + " (persistent, active)"), no::toString);
        assertTrue(no.stdout().contains("Go ahead? [y/N]"), no::toString);
        String noErr = Files.readString(dir.resolve("no.err"));
        assertEquals("error: not confirmed; nothing was changed\n", noErr);
        assertEquals("", Files.readString(dir.resolve("no.out")));
        assertTrue(moto.calls("CancelSpotInstanceRequests").isEmpty());

        Jar.Result yes = jar.runOnTerminalRedirected("y\n", ">yes.out 2>yes.err", "stop", conf().toString(),
                creds().toString());

        assertEquals(0, yes.exitCode(), yes::toString);
        assertTrue(yes.stdout().contains("Go ahead? [y/N]"), yes::toString);
        String out = Files.readString(dir.resolve("yes.out"));
        assertTrue(out.contains("Cancelled spot request " + request), out);
        assertFalse(out.contains("Go ahead?") || Files.readString(dir.resolve("yes.err")).contains("Go ahead?"));
        assertEquals(1, moto.calls("CancelSpotInstanceRequests").size());
    }

    @Test
    void launchForceWarnsThatTheTwoRequestsWillFightNamingTheLiveOne() throws Exception {
        String volume = Seed.volume(ec2, ZONE, "spotter");
        String first = launch();
        String instance = ec2.describeSpotInstanceRequests(r -> r.spotInstanceRequestIds(first)).spotInstanceRequests()
                .get(0).instanceId();

        Jar.Result forced = jar.run("launch", "--force", conf().toString(), creds().toString());

        assertEquals(0, forced.exitCode(), forced::toString);
        assertTrue(forced.stderr().contains("warning: --force: volume " + volume + " already has a live ec2spotter spot"
                + " request: " + first + " (active, instance " + instance + "); the two will fight over the volume"),
                forced::toString);
        assertEquals(2, ec2.describeSpotInstanceRequests().spotInstanceRequests().size());
    }

    private String launch() throws Exception {
        return requestIdOf(jar.run("launch", conf().toString(), creds().toString()));
    }

    private static String errorLine(Jar.Result r) {
        return r.stderr().lines().filter(l -> l.startsWith("error: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no error line: " + r));
    }

    private Path conf() throws IOException {
        return writeConf(dir, seed.imageId(), "");
    }

    private Path creds() throws IOException {
        return motoCreds();
    }
}
