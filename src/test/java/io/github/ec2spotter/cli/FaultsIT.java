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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.SpotInstanceRequest;

/**
 * {@code launch} against a failing EC2: the jar as a process, talking to a {@link FaultProxy}
 * in front of moto. Each failure must end in one clear line and exit 1 within a bounded time,
 * without a stack trace, and must leave no spot request behind that the output does not name.
 */
class FaultsIT extends MotoTest {
    String volume;
    FaultProxy proxy;
    Jar jar;

    @BeforeEach
    void prepare() throws IOException {
        volume = Seed.volume(ec2, ZONE, "spotter");
        proxy = FaultProxy.to(moto.endpoint());
        jar = Jar.built(dir).env("AWS_ENDPOINT_URL_EC2", proxy.endpoint());
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Test
    void throttlingIsAbsorbedByRetriesThatVerboseShows() throws Exception {
        proxy.fail("DescribeVolumes", 2, new FaultProxy.Throttle());

        Timed t = launch("-v");

        assertEquals(0, t.result().exitCode(), t.result()::toString);
        assertEquals(3, proxy.calls("DescribeVolumes"), "two throttled attempts, then the one that succeeded");
        assertEquals(1, requests().size());
        long retryLines = t.result().stderr().lines().filter(l -> l.contains("EC2 DescribeVolumes: retrying, attempt ")).count();
        assertEquals(2, retryLines, t.result()::toString);
        figure("throttled twice, then success", t);
    }

    @Test
    void connectionRefused() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        jar.env("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:" + closed);

        Timed t = launch();

        assertOneClearLine(t, "DescribeVolumes failed: cannot connect to EC2 at http://127.0.0.1:" + closed);
        assertTrue(requests().isEmpty());
        figure("connection refused", t);
    }

    @Test
    void unresolvableCustomEndpoint() throws Exception {
        jar.env("AWS_ENDPOINT_URL_EC2", "http://ec2.no-such-host.invalid:4566");

        Timed t = launch();

        assertOneClearLine(t, "DescribeVolumes failed: cannot resolve the host of EC2 endpoint "
                + "http://ec2.no-such-host.invalid:4566");
        assertTrue(requests().isEmpty());
        figure("unresolvable endpoint host", t);
    }

    /** The one slow test: it waits for the SDK's timeouts, which the README promises end within 40 s. */
    @Test
    void hungEndpointFailsWithinTheBound() throws Exception {
        proxy.fail("*", Integer.MAX_VALUE, new FaultProxy.Hang());

        Timed t = launch();

        assertOneClearLine(t, "DescribeVolumes failed: EC2 at " + proxy.endpoint() + " did not answer within 40 s");
        // From the call's first byte to the process's end: the JVM's start, slow on a loaded
        // machine, is left out; a few seconds of slack cover the exit.
        Duration call = Duration.between(proxy.firstCall(), t.end());
        assertTrue(call.compareTo(Duration.ofSeconds(44)) < 0, "the call took " + call);
        assertTrue(requests().isEmpty());
        figure("hung endpoint (accepts, never answers), " + String.format("%.1f", call.toMillis() / 1000.0)
                + " s from the first request to exit", t);
    }

    @Test
    void malformedAnswer() throws Exception {
        proxy.fail("DescribeVolumes", Integer.MAX_VALUE, new FaultProxy.Garbage());

        Timed t = launch();

        assertOneClearLine(t, "DescribeVolumes failed: EC2 at " + proxy.endpoint()
                + " sent an answer that is not valid EC2 XML");
        assertTrue(requests().isEmpty());
        figure("malformed XML answer", t);
    }

    @Test
    void serverErrorOnRequestSpotInstancesThatCreatedNothing() throws Exception {
        proxy.fail("RequestSpotInstances", Integer.MAX_VALUE, new FaultProxy.ServerError(500, false));

        Timed t = launch();

        assertOneClearLine(t, "RequestSpotInstances failed: InternalError");
        assertTrue(t.result().stderr().contains("EC2 holds no open or active spot request tagged Name=spotter, "
                + "ec2spotter:volume=" + volume + ": nothing was created"), t.result()::toString);
        assertTrue(requests().isEmpty());
        figure("HTTP 500 on RequestSpotInstances (nothing created)", t);
    }

    @Test
    void serverErrorAfterEc2CreatedTheRequestNamesEveryRequestLeft() throws Exception {
        // The worst case: EC2 did the work and the answer was lost, on every attempt. Real EC2
        // deduplicates the SDK's retries by the client token; moto does not, so it holds one
        // request per attempt, and the output must name every one of them.
        proxy.fail("RequestSpotInstances", Integer.MAX_VALUE, new FaultProxy.ServerError(500, true));

        Timed t = launch();

        assertOneClearLine(t, "RequestSpotInstances failed: InternalError");
        List<SpotInstanceRequest> left = requests();
        assertFalse(left.isEmpty());
        for (SpotInstanceRequest r : left) {
            assertTrue(t.result().stderr().contains(r.spotInstanceRequestId()), r.spotInstanceRequestId()
                    + " is not named: " + t.result());
        }
        assertTrue(t.result().stderr().contains("aws ec2 cancel-spot-instance-requests --region " + REGION
                + " --spot-instance-request-ids "), t.result()::toString);
        List<String> tokens = moto.calls("RequestSpotInstances").stream().map(c -> c.param("ClientToken")).toList();
        assertEquals(left.size(), tokens.size());
        assertTrue(tokens.get(0) != null && tokens.stream().allMatch(tokens.get(0)::equals),
                "every attempt carries the same client token: " + tokens);
        figure("HTTP 500 on RequestSpotInstances after EC2 created it (" + left.size() + " attempts)", t);
    }

    @Test
    void stopThatCancelledButCouldNotTerminateNamesTheInstanceAndTheCommandToFinish() throws Exception {
        Timed launched = launch();
        assertEquals(0, launched.result().exitCode(), launched.result()::toString);
        String instance = requests().get(0).instanceId();
        proxy.fail("TerminateInstances", Integer.MAX_VALUE, new FaultProxy.ServerError(500, false));

        Jar.Result r = jar.run("stop", "--yes", dir.resolve("spotter.conf").toString(), dir.resolve("creds").toString());

        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("Cancelled spot request "), r::toString);
        List<String> errors = r.stderr().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), r::toString);
        assertTrue(errors.get(0).startsWith("error: TerminateInstances failed: InternalError"), r::toString);
        assertTrue(errors.get(0).endsWith("the spot requests are cancelled but " + instance + " still run: terminate them"
                + " with: aws ec2 terminate-instances --region " + REGION + " --instance-ids " + instance), r::toString);
        assertEquals("running", ec2.describeInstances(d -> d.instanceIds(instance)).reservations().get(0).instances()
                .get(0).state().nameAsString(), "the test's premise: the instance was not terminated");
    }

    @Test
    void oneServerErrorIsRetriedIntoOneRequest() throws Exception {
        proxy.fail("RequestSpotInstances", 1, new FaultProxy.ServerError(503, false));

        Timed t = launch();

        assertEquals(0, t.result().exitCode(), t.result()::toString);
        assertEquals(2, proxy.calls("RequestSpotInstances"));
        assertEquals(1, requests().size());
        assertTrue(t.result().stdout().contains(requests().get(0).spotInstanceRequestId()), t.result()::toString);
    }

    @Test
    void hostileAnswerNeverReachesTheTerminalRaw() throws Exception {
        // A second volume with the same name, and an endpoint that puts terminal escape
        // sequences into the ids and zones it returns (XML 1.1 can carry them as references).
        Seed.volume(ec2, ZONE, "spotter");
        proxy.fail("DescribeVolumes", Integer.MAX_VALUE, new FaultProxy.Rewrite(xml -> xml
                .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.1\" encoding=\"UTF-8\"?>")
                .replace("<?xml version=\"1.0\" encoding=\"utf-8\"?>", "<?xml version=\"1.1\" encoding=\"UTF-8\"?>")
                .replaceAll("<volumeId>(vol-[0-9a-f]+)</volumeId>", "<volumeId>$1&#x1b;[2J&#x1b;]0;pwned&#x7;</volumeId>")
                .replace("<availabilityZone>us-east-1a</availabilityZone>",
                        "<availabilityZone>us-east-1a&#x9b;31m&#x202e;</availabilityZone>")));

        Timed t = launch("-v");

        assertEquals(1, t.result().exitCode(), t.result()::toString);
        String error = t.result().stderr().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
        assertTrue(error.startsWith("error: 2 EBS volumes are tagged Name=spotter"), t.result()::toString);
        assertTrue(error.contains("\\x1b[2J\\x1b]0;pwned\\x07"), "shown escaped: " + error);
        assertTrue(error.contains("\\u009b31m\\u202e"), "shown escaped: " + error);
        assertNoRawControls(t.result());
        assertTrue(requests().isEmpty());
    }

    @Test
    void tagWithAnEscapeSequenceInMotoIsReportedNotPrinted() throws Exception {
        // moto sends such a tag raw inside its XML, which no XML parser accepts: the launch
        // must fail with one line and show none of it.
        ec2.createTags(r -> r.resources(volume).tags(tag -> tag.key("Owner").value("x\u001b[2J\u001b]0;pwned\u0007y")));

        Timed t = launch("-v");

        assertEquals(1, t.result().exitCode(), t.result()::toString);
        assertTrue(t.result().stderr().contains("DescribeVolumes failed: EC2 at " + proxy.endpoint()
                + " sent an answer that is not valid EC2 XML"), t.result()::toString);
        assertNoRawControls(t.result());
        assertTrue(requests().isEmpty());
    }

    record Timed(Jar.Result result, Duration elapsed, Instant end) {
    }

    private Timed launch(String... options) throws Exception {
        Path conf = writeConf(dir, seed.imageId(), "");
        Path creds = dir.resolve("creds");
        Files.writeString(creds, "AWSAccessKeyId=" + Moto.ACCESS_KEY_ID + "\nAWSSecretKey=" + Moto.SECRET_ACCESS_KEY + "\n");
        Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-------"));
        String[] args = new String[options.length + 3];
        args[0] = "launch";
        System.arraycopy(options, 0, args, 1, options.length);
        args[options.length + 1] = conf.toString();
        args[options.length + 2] = creds.toString();
        Instant start = Instant.now();
        Jar.Result r = jar.run(args);
        Instant end = Instant.now();
        return new Timed(r, Duration.between(start, end), end);
    }

    private List<SpotInstanceRequest> requests() {
        return ec2.describeSpotInstanceRequests().spotInstanceRequests();
    }

    /**
     * Exit 1, nothing on stdout, one error line, last, starting with {@code expected} (before it
     * at most the progress line naming the volume found); no trace.
     */
    private static void assertOneClearLine(Timed t, String expected) {
        Jar.Result r = t.result();
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("", r.stdout(), r::toString);
        List<String> lines = r.stderr().lines().toList();
        assertEquals(1, lines.stream().filter(l -> l.startsWith("error: ")).count(), "one error line: " + r);
        assertTrue(lines.get(lines.size() - 1).startsWith("error: " + expected), r::toString);
        assertTrue(lines.stream().limit(lines.size() - 1).allMatch(l -> l.startsWith("Volume 'spotter' is vol-")),
                "only progress before the error: " + r);
        assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), r::toString);
        assertNoRawControls(r);
    }

    private static void assertNoRawControls(Jar.Result r) {
        for (String text : List.of(r.stdout(), r.stderr())) {
            Matcher m = Pattern.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f\\x80-\\x9f\\u202a-\\u202e]").matcher(text);
            assertFalse(m.find(), "raw control character in the output: " + r);
        }
    }

    private static void figure(String what, Timed t) {
        System.out.printf("fault figures: %s: exit %d after %.1f s%n", what, t.result().exitCode(),
                t.elapsed().toMillis() / 1000.0);
    }
}
