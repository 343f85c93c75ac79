package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.testing.Jar;
import io.github.ec2spotter.testing.Moto;
import io.github.ec2spotter.testing.MotoTest;
import io.github.ec2spotter.testing.Seed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * {@code ssh} run as the jar against moto: which instance and address it picks, the words it
 * gives ssh, what it says when there is nothing to log in to, and a real run of an {@code ssh}
 * found on PATH (a script standing in for OpenSSH) whose exit code comes back.
 */
class SshIT extends MotoTest {
    Jar jar;
    String volume;
    /** The spot request {@link #launched} made. */
    String request;

    @BeforeEach
    void prepare() throws IOException {
        jar = Jar.built(dir).env("AWS_ENDPOINT_URL_EC2", moto.endpoint());
        volume = Seed.volume(ec2, ZONE, "spotter");
        moto.clearRecording();
    }

    @Test
    void printShowsThePublicAddressTheVolumesHostKeyAliasTheKeyTheUserAndTheWordsAfterDashes() throws Exception {
        Instance instance = launched();
        Path key = Files.createDirectories(dir.resolve(".ssh")).resolve("spot key.pem");
        Files.writeString(key, "not a real key\n");
        // The run's HOME is dir (see Jar): ~/ in the conf is expanded with it.
        Path conf = writeConf(dir, seed.imageId(), "ec2spotter_ssh_key='~/.ssh/spot key.pem'\nec2spotter_ssh_user=ec2-user\n");

        Jar.Result r = jar.run("ssh", "--print", "--user", "admin", conf.toString(), motoCreds().toString(),
                "--", "-L", "8888:localhost:8888", "echo 'hi there'");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("ssh -i '" + key + "' -o HostKeyAlias=ec2spotter-" + volume + " admin@" + instance.publicIpAddress()
                + " -L 8888:localhost:8888 'echo '\\''hi there'\\'''\n", r.stdout());
        assertFalse(r.stderr().contains("private address"), r::toString);
    }

    @Test
    void withoutCredsTheFirstWordAfterDashesIsStillSshsAndTheConfUserIsUsed() throws Exception {
        Instance instance = launched();
        Path conf = writeConf(dir, seed.imageId(), "ec2spotter_ssh_user=ec2-user\n");

        Jar.Result r = jar.env("AWS_ACCESS_KEY_ID", Moto.ACCESS_KEY_ID).env("AWS_SECRET_ACCESS_KEY", Moto.SECRET_ACCESS_KEY)
                .run("ssh", "--print", conf.toString(), "--", "uptime");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("ssh -o HostKeyAlias=ec2spotter-" + volume + " ec2-user@" + instance.publicIpAddress() + " uptime\n",
                r.stdout());
    }

    @Test
    void withoutAnyRequestItSaysWhatStatusSays() throws Exception {
        Path conf = writeConf(dir, seed.imageId(), "");

        Jar.Result r = jar.run("ssh", "--print", conf.toString(), motoCreds().toString());
        Jar.Result status = jar.run("status", conf.toString(), motoCreds().toString());

        assertEquals(1, r.exitCode(), r::toString);
        String said = status.stdout().lines().findFirst().orElseThrow();
        assertEquals("No ec2spotter spot requests for volume 'spotter' in us-east-1.", said);
        assertEquals("error: no running instance for volume 'spotter': " + said + "\n", r.stderr());
        assertEquals("", r.stdout());
    }

    @Test
    void aStoppedInstanceIsNamedWithWhatStatusSaysOfItsRequest() throws Exception {
        String instance = launched().instanceId();
        ec2.stopInstances(r -> r.instanceIds(instance));
        Path conf = writeConf(dir, seed.imageId(), "");

        Jar.Result r = jar.run("ssh", conf.toString(), motoCreds().toString());
        Jar.Result status = jar.run("status", conf.toString(), motoCreds().toString());

        assertEquals(1, r.exitCode(), r::toString);
        String said = status.stdout().lines().filter(l -> l.startsWith(request + ": ")).findFirst()
                .orElseThrow(() -> new AssertionError("status says nothing of " + request + ": " + status));
        assertEquals("error: no running instance for volume 'spotter': instance " + instance + " is stopped; " + said
                + "\n", r.stderr());
    }

    @Test
    void aRealRunExecsTheSshOnPathWithTheWordsAndPassesItsExitCodeOn() throws Exception {
        Instance instance = launched();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path argv = dir.resolve("argv.txt");
        Path fake = bin.resolve("ssh");
        Files.writeString(fake, "#!/bin/sh\nprintf '%s\\n' \"$@\" >\"$ARGV_FILE\"\nexit 7\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = writeConf(dir, seed.imageId(), "");

        Jar.Result r = jar.env("PATH", bin + ":" + System.getenv("PATH")).env("ARGV_FILE", argv.toString())
                .run("ssh", conf.toString(), motoCreds().toString(), "--", "nvidia-smi");

        assertEquals(7, r.exitCode(), r::toString);
        assertEquals(List.of("-o", "HostKeyAlias=ec2spotter-" + volume, "ubuntu@" + instance.publicIpAddress(),
                "nvidia-smi"), Files.readAllLines(argv));
        assertEquals("", r.stdout());
    }

    @Test
    void noSshOnPathIsAFailureNamingIt() throws Exception {
        launched();
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path conf = writeConf(dir, seed.imageId(), "");

        Jar.Result r = jar.env("PATH", empty.toString()).run("ssh", conf.toString(), motoCreds().toString());

        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stderr().startsWith("error: ssh not found on PATH (" + empty + ")"), r::toString);
    }

    @Test
    void aMissingKeyFileIsAConfErrorNamingTheKeyAndTheFileBeforeAnyCall() throws Exception {
        moto.clearRecording();
        Path conf = writeConf(dir, seed.imageId(), "ec2spotter_ssh_key='~/.ssh/nope.pem'\n");

        Jar.Result r = jar.run("ssh", "--print", conf.toString(), motoCreds().toString());

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("error: " + conf + ": ec2spotter_ssh_key=~/.ssh/nope.pem: no such file: " + dir
                + "/.ssh/nope.pem\n", r.stderr());
        assertTrue(moto.calls().isEmpty(), "no AWS call");
    }

    @Test
    void aBadUserIsRefused() throws Exception {
        Path conf = writeConf(dir, seed.imageId(), "");

        Jar.Result r = jar.run("ssh", "--print", "--user", "-oProxyCommand=x", conf.toString(), motoCreds().toString());

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("--user: '-oProxyCommand=x' is not valid"), r::toString);
    }

    /** A launch whose instance moto runs at once; that instance as EC2 describes it. */
    private Instance launched() throws Exception {
        request = requestIdOf(jar.run("launch", writeConf(dir, seed.imageId(), "").toString(),
                motoCreds().toString()));
        String id = ec2.describeSpotInstanceRequests(r -> r.spotInstanceRequestIds(request)).spotInstanceRequests()
                .get(0).instanceId();
        Instance instance = ec2.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
        assertEquals("running", instance.state().nameAsString());
        assertTrue(instance.publicIpAddress() != null && !instance.publicIpAddress().isEmpty(), instance::toString);
        return instance;
    }

}
