package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.testing.Jar;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hidden {@code train-cache} command that scripts/ec2spotter records its class-data cache from. */
class TrainCacheIT {
    @TempDir
    Path dir;

    @Test
    void runsTheRealLaunchCodeQuietlyWithoutTheProcessEndpoint() throws Exception {
        Path log = dir.resolve("classes.log");
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        // An endpoint in the environment must not matter: the training talks only to its own stub.
        Jar.Result r = Jar.built(dir)
                .env("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:" + deadPort)
                .jvmOption("-Xlog:class+load=info:file=" + log + "::filecount=0")
                .run("train-cache");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.stdout());
        assertEquals("", r.stderr());
        String loaded = Files.readString(log);
        for (String cls : List.of("io.github.ec2spotter.cli.LaunchCommand", "io.github.ec2spotter.plan.LaunchPlan",
                "io.github.ec2spotter.boot.BootScript", "software.amazon.awssdk.services.ec2.DefaultEc2Client",
                "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient",
                "software.amazon.awssdk.services.ec2.transform.RequestSpotInstancesRequestMarshaller",
                "software.amazon.awssdk.services.ec2.model.DescribeVolumesResponse",
                "software.amazon.awssdk.services.ec2.model.Ec2Exception")) {
            assertTrue(loaded.contains(" " + cls + " "), cls + " was not loaded by the training");
        }
    }

    @Test
    void isHiddenFromHelp() throws Exception {
        Jar.Result r = Jar.built(dir).run("--help");
        assertEquals(0, r.exitCode(), r::toString);
        assertFalse(r.stdout().contains("train-cache"), r.stdout());
    }

    @Test
    void failsLoudlyOnUnexpectedArguments() throws IOException, InterruptedException {
        Jar.Result r = Jar.built(dir).run("train-cache", "extra");
        assertEquals(2, r.exitCode(), r::toString);
    }
}
