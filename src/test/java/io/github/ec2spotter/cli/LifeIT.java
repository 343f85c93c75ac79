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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * The life of a persistent request after launch (status, stop, duplicate guard, prices, moving
 * the volume, --wait, completion), each run as the jar against a real moto_server. moto fulfils a
 * spot request at once (active, instance running); status codes it does not emulate are covered
 * by the unit tests of {@code plan.SpotStatus} and {@code plan.LaunchWait}.
 */
class LifeIT extends MotoTest {

    Jar jar;

    @BeforeEach
    void prepare() throws IOException {
        jar = Jar.built(dir).env("AWS_ENDPOINT_URL_EC2", moto.endpoint());
        moto.clearRecording();
    }

    @Test
    void statusShowsAFulfilledRequestItsInstanceAndTheVolume() throws Exception {
        String volume = Seed.volume(ec2, ZONE, "spotter");
        String request = launch();
        String instance = instanceOf(request);
        String ip = ec2.describeInstances(r -> r.instanceIds(instance)).reservations().get(0).instances().get(0)
                .publicIpAddress();
        // What the boot script does on the instance.
        ec2.attachVolume(r -> r.volumeId(volume).instanceId(instance).device("/dev/sdf"));

        Jar.Result table = jar.run("status", "--wide", conf("").toString(), creds().toString());

        assertEquals(0, table.exitCode(), table::toString);
        String row = table.stdout().lines().filter(l -> l.startsWith(request)).findFirst().orElseThrow();
        for (String cell : List.of("persistent", "active", "fulfilled", instance, "running", ip, ZONE, "0.00001")) {
            assertTrue(row.contains(cell), cell + " missing from: " + row);
        }
        assertTrue(table.stdout().contains("Volume 'spotter' " + volume + " in " + ZONE + ": in-use, attached to "
                + instance + " as /dev/sdf (attached)"), table::toString);

        Jar.Result json = jar.run("status", "--output", "json", conf("").toString(), creds().toString());

        assertEquals(0, json.exitCode(), json::toString);
        Map<String, JsonNode> doc = JsonNodeParser.create().parse(json.stdout()).asObject();
        assertEquals(volume, doc.get("volume").asObject().get("id").asString());
        Map<String, JsonNode> attached = doc.get("volume").asObject().get("attachedTo").asObject();
        assertEquals(instance, attached.get("instanceId").asString());
        assertEquals("/dev/sdf", attached.get("device").asString());
        List<JsonNode> requests = doc.get("requests").asArray();
        assertEquals(1, requests.size());
        Map<String, JsonNode> r = requests.get(0).asObject();
        assertEquals(request, r.get("id").asString());
        assertEquals("active", r.get("state").asString());
        assertEquals("fulfilled", r.get("statusCode").asString());
        assertEquals(instance, r.get("instanceId").asString());
        assertEquals("running", r.get("instanceState").asString());
        assertEquals(ip, r.get("publicIp").asString());
        assertEquals(volume, r.get("volumeId").asString());
        assertEquals("0.00001", r.get("spotPriceUsdPerHour").asNumber());
        assertTrue(r.get("launchTime").asString().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), r::toString);
    }

    @Test
    void statusWithoutRequestsSaysSo() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");

        Jar.Result r = jar.run("status", conf("").toString(), creds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().startsWith("No ec2spotter spot requests for volume 'spotter' in us-east-1."), r::toString);
    }

    @Test
    void stopCancelsTheRequestBeforeTerminatingItsInstanceAndWaitsForTheVolume() throws Exception {
        String volume = Seed.volume(ec2, ZONE, "spotter");
        String request = launch();
        String instance = instanceOf(request);
        // What the boot script does on the instance.
        ec2.attachVolume(r -> r.volumeId(volume).instanceId(instance).device("/dev/sdf"));
        moto.clearRecording();

        Jar.Result r = jar.run("stop", "--yes", conf("").toString(), creds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("Cancelled spot request " + request + " (was active, now cancelled)"), r::toString);
        assertTrue(r.stdout().contains("Terminating instance " + instance + " (was running"), r::toString);
        assertTrue(r.stdout().contains("Volume 'spotter' (" + volume + ") is available"), r::toString);
        List<String> actions = moto.calls().stream().map(Moto.Call::action).toList();
        int cancel = actions.indexOf("CancelSpotInstanceRequests");
        int terminate = actions.indexOf("TerminateInstances");
        assertTrue(cancel >= 0 && terminate > cancel, "cancel first, then terminate: " + actions);
        assertEquals(request, moto.calls("CancelSpotInstanceRequests").get(0).param("SpotInstanceRequestId.1"));
        assertEquals(instance, moto.calls("TerminateInstances").get(0).param("InstanceId.1"));
        assertEquals("available", ec2.describeVolumes(v -> v.volumeIds(volume)).volumes().get(0).stateAsString());
        String state = ec2.describeInstances(d -> d.instanceIds(instance)).reservations().get(0).instances().get(0)
                .state().nameAsString();
        assertTrue(List.of("shutting-down", "terminated").contains(state), state);

        Jar.Result status = jar.run("status", "--output", "json", conf("").toString(), creds().toString());
        assertEquals(0, status.exitCode(), status::toString);
        Map<String, JsonNode> doc = JsonNodeParser.create().parse(status.stdout()).asObject();
        for (JsonNode left : doc.get("requests").asArray()) {
            assertFalse(List.of("open", "active").contains(left.asObject().get("state").asString()), status::toString);
        }
        assertEquals("available", doc.get("volume").asObject().get("state").asString());
    }

    @Test
    void stopTwiceChangesNothingTheSecondTime() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        launch();
        assertEquals(0, jar.run("stop", "--yes", conf("").toString(), creds().toString()).exitCode());
        moto.clearRecording();

        Jar.Result again = jar.run("stop", conf("").toString(), creds().toString());

        assertEquals(0, again.exitCode(), again::toString);
        // Nothing to end: no question, so no --yes needed.
        assertTrue(again.stdout().startsWith("Nothing to stop: no live ec2spotter spot request"), again::toString);
        assertTrue(moto.calls("CancelSpotInstanceRequests").isEmpty());
        assertTrue(moto.calls("TerminateInstances").isEmpty());
    }

    @Test
    void launchRefusesASecondRequestForTheSameVolumeUnlessForced() throws Exception {
        String volume = Seed.volume(ec2, ZONE, "spotter");
        String first = launch();

        Jar.Result second = jar.run("launch", conf("").toString(), creds().toString());

        assertEquals(1, second.exitCode(), second::toString);
        assertTrue(second.stderr().contains("volume " + volume + " already has an ec2spotter spot request: " + first
                + " (active, instance "), second::toString);
        assertTrue(second.stderr().contains("--force"), second::toString);
        assertEquals(1, moto.calls("RequestSpotInstances").size());

        Jar.Result forced = jar.run("launch", "--force", conf("").toString(), creds().toString());

        assertEquals(0, forced.exitCode(), forced::toString);
        assertEquals(2, ec2.describeSpotInstanceRequests().spotInstanceRequests().size());
    }

    @Test
    void aVolumeHeldByTheInstanceOfALiveRequestIsExplainedByThatRequest() throws Exception {
        String volume = Seed.volume(ec2, ZONE, "spotter");
        String first = launch();
        ec2.attachVolume(r -> r.volumeId(volume).instanceId(instanceOf(first)).device("/dev/sdf"));

        Jar.Result second = jar.run("launch", conf("").toString(), creds().toString());

        assertEquals(1, second.exitCode(), second::toString);
        assertTrue(second.stderr().contains("already has an ec2spotter spot request: " + first), second::toString);
        // The line to paste: the same conf and credentials file.
        assertTrue(second.stderr().contains("\n    ec2spotter stop " + conf("") + " " + creds() + "\n"), second::toString);
    }

    @Test
    void launchAgainAfterStopIsAllowed() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        launch();
        assertEquals(0, jar.run("stop", "--yes", conf("").toString(), creds().toString()).exitCode());

        Jar.Result r = jar.run("launch", conf("").toString(), creds().toString());

        assertEquals(0, r.exitCode(), r::toString);
    }

    @Test
    void pricesListEveryZoneCheapestFirstWithTheVolumeZoneMarked() throws Exception {
        Seed.volume(ec2, "us-east-1c", "spotter");

        Jar.Result table = jar.run("prices", conf("ec2spotter_volume_zone=us-east-1c\n").toString(), creds().toString());

        assertEquals(0, table.exitCode(), table::toString);
        List<String> rows = table.stdout().lines().filter(l -> l.startsWith("us-east-1")).toList();
        assertTrue(rows.size() >= 3, table::toString);
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("us-east-1c") && l.endsWith("<- volume")), table::toString);
        assertTrue(rows.stream().anyMatch(l -> l.startsWith(ZONE) && l.endsWith("<- launch zone")), table::toString);

        Jar.Result json = jar.run("prices", "--output", "json", "--instance-type", "m5.large",
                conf("ec2spotter_volume_zone=us-east-1c\n").toString(), creds().toString());

        assertEquals(0, json.exitCode(), json::toString);
        Map<String, JsonNode> doc = JsonNodeParser.create().parse(json.stdout()).asObject();
        assertEquals("us-east-1", doc.get("region").asString());
        assertEquals("m5.large", doc.get("instanceType").asString());
        List<JsonNode> prices = doc.get("prices").asArray();
        assertEquals(rows.size(), prices.size());
        String previousZone = "";
        java.math.BigDecimal previous = java.math.BigDecimal.ZERO;
        for (JsonNode p : prices) {
            Map<String, JsonNode> row = p.asObject();
            assertEquals(List.of("zone", "usdPerHour", "since", "volumeZone", "launchZone"), List.copyOf(row.keySet()));
            java.math.BigDecimal price = new java.math.BigDecimal(row.get("usdPerHour").asNumber());
            String zone = row.get("zone").asString();
            assertTrue(price.compareTo(previous) > 0 || (price.compareTo(previous) == 0 && zone.compareTo(previousZone) > 0),
                    "cheapest first, then by zone: " + json.stdout());
            assertEquals(zone.equals("us-east-1c"), row.get("volumeZone").asBoolean());
            assertEquals(zone.equals(ZONE), row.get("launchZone").asBoolean());
            previous = price;
            previousZone = zone;
        }
        assertEquals("m5.large", moto.calls("DescribeSpotPriceHistory").get(1).param("InstanceType.1"));
    }

    @Test
    void pricesInAnotherRegion() throws Exception {
        Jar.Result r = jar.run("prices", "--region", "eu-west-1", "--output", "json", conf("").toString(),
                creds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        Map<String, JsonNode> doc = JsonNodeParser.create().parse(r.stdout()).asObject();
        assertEquals("eu-west-1", doc.get("region").asString());
        for (JsonNode p : doc.get("prices").asArray()) {
            assertTrue(p.asObject().get("zone").asString().startsWith("eu-west-1"), r::toString);
            assertFalse(p.asObject().get("launchZone").asBoolean());
        }
        assertTrue(moto.calls("DescribeSpotPriceHistory").get(0).headers().get("Authorization").contains("/eu-west-1/ec2/"));
    }

    @Test
    void volumeInAnotherZoneNeedsMoveVolume() throws Exception {
        Seed.volume(ec2, "us-east-1c", "spotter");

        Jar.Result r = jar.run("launch", conf("ec2spotter_volume_zone=us-east-1c\n").toString(), creds().toString());

        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("run launch --move-volume to copy the volume to " + ZONE), r::toString);
        assertTrue(moto.calls("CreateSnapshot").isEmpty());
    }

    @Test
    void moveVolumeAcrossZonesKeepsTypeSizeIopsThroughputAndEncryption() throws Exception {
        String old = ec2.createVolume(r -> r.availabilityZone("us-east-1c").size(30).volumeType("gp3").iops(4000)
                .throughput(250).encrypted(true).tagSpecifications(nameTag("spotter"))).volumeId();

        Jar.Result r = jar.run("launch", "--move-volume", conf("ec2spotter_volume_zone=us-east-1c\n").toString(),
                creds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        Volume moved = volumeNamed(ec2, "spotter");
        assertEquals(ZONE, moved.availabilityZone());
        assertEquals("gp3", moved.volumeTypeAsString());
        assertEquals(30, moved.size());
        assertEquals(4000, moved.iops());
        assertEquals(250, moved.throughput());
        assertTrue(moved.encrypted());
        assertEquals(old, tag(moved.tags(), "ec2spotter:moved-from"));
        Volume before = ec2.describeVolumes(v -> v.volumeIds(old)).volumes().get(0);
        assertEquals("spotter-moved-to-" + moved.volumeId(), tag(before.tags(), "Name"));
        Snapshot snapshot = ec2.describeSnapshots(s -> s.ownerIds("self").filters(Filter.builder()
                .name("tag:ec2spotter:moved-from").values(old).build())).snapshots().get(0);
        assertEquals(snapshot.snapshotId(), moved.snapshotId());
        assertEquals(moved.volumeId(), moto.calls("RequestSpotInstances").get(0).param("TagSpecification.1.Tag.2.Value"));
        assertTrue(r.stdout().contains("(" + moved.volumeId() + ") in " + ZONE), r::toString);
        assertTrue(r.stderr().contains("the old volume " + old + " is renamed spotter-moved-to-" + moved.volumeId()),
                r::toString);
        assertTrue(moto.calls("CopySnapshot").isEmpty(), "same region: no copy");
    }

    @Test
    void moveVolumeAcrossRegionsCopiesTheSnapshot() throws Exception {
        String old;
        try (Ec2Client eu = moto.client("eu-west-1")) {
            old = eu.createVolume(r -> r.availabilityZone("eu-west-1b").size(12).volumeType("io2").iops(3000)
                    .tagSpecifications(nameTag("spotter"))).volumeId();

            Jar.Result r = jar.run("launch", "--move-volume", conf("ec2spotter_volume_zone=eu-west-1b\n").toString(),
                    creds().toString());

            assertEquals(0, r.exitCode(), r::toString);
            Volume moved = volumeNamed(ec2, "spotter");
            assertEquals(ZONE, moved.availabilityZone());
            assertEquals("io2", moved.volumeTypeAsString());
            assertEquals(12, moved.size());
            assertEquals(3000, moved.iops());
            Moto.Call copy = moto.calls("CopySnapshot").get(0);
            assertEquals("eu-west-1", copy.param("SourceRegion"));
            assertTrue(copy.headers().get("Authorization").contains("/us-east-1/ec2/"), "copied in the destination");
            assertEquals(moved.snapshotId(), ec2.describeSnapshots(s -> s.snapshotIds(moved.snapshotId())).snapshots()
                    .get(0).snapshotId());
            assertEquals("spotter-moved-to-" + moved.volumeId(),
                    tag(eu.describeVolumes(v -> v.volumeIds(old)).volumes().get(0).tags(), "Name"));
            assertEquals(1, moto.calls("RequestSpotInstances").size());
        }
    }

    @Test
    void moveThatFailsHalfWayNamesWhatExists() throws Exception {
        String old = ec2.createVolume(r -> r.availabilityZone("us-east-1c").size(20).volumeType("gp2")
                .tagSpecifications(nameTag("spotter"))).volumeId();
        // moto then describes an io2 volume without IOPS, and refuses to create a copy of it:
        // CreateVolume fails after the snapshot exists, as a real refusal (quota, KMS) would.
        ec2.modifyVolume(r -> r.volumeId(old).volumeType("io2"));

        Jar.Result r = jar.run("launch", "--move-volume", conf("ec2spotter_volume_zone=us-east-1c\n").toString(),
                creds().toString());

        assertEquals(1, r.exitCode(), r::toString);
        String snapshot = ec2.describeSnapshots(s -> s.ownerIds("self").filters(Filter.builder()
                .name("tag:ec2spotter:moved-from").values(old).build())).snapshots().get(0).snapshotId();
        String error = r.stderr().lines().filter(l -> l.startsWith("error: ")).findFirst().orElseThrow();
        assertTrue(error.contains("moving volume " + old + " (Name=spotter) from us-east-1c to " + ZONE
                + " stopped: CreateVolume failed: InvalidParameterDependency"), error);
        assertTrue(error.contains("Nothing was deleted. Exists now: volume " + old + " in us-east-1c (unchanged), snapshot "
                + snapshot + " in us-east-1."), error);
        assertTrue(error.contains("To give up: delete " + snapshot), error);
        assertEquals("spotter", tag(ec2.describeVolumes(v -> v.volumeIds(old)).volumes().get(0).tags(), "Name"));
        assertTrue(moto.calls("RequestSpotInstances").isEmpty());
    }

    @Test
    void waitWithoutATerminalPrintsTheResultAndNoProgress() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");

        Jar.Result r = jar.run("launch", "--wait", "--timeout", "60", conf("").toString(), creds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        String instance = instanceOf(requestId(r.stdout()));
        var described = ec2.describeInstances(d -> d.instanceIds(instance)).reservations().get(0).instances().get(0);
        assertTrue(r.stdout().contains("Instance " + instance + " is running"), r::toString);
        assertTrue(r.stdout().contains("Public IP " + described.publicIpAddress()), r::toString);
        assertTrue(r.stdout().contains("ssh ubuntu@" + described.publicDnsName()), r::toString);
        assertFalse(r.stderr().contains("\r") || r.stderr().contains("spot request sir-"), "no progress: " + r);
    }

    @Test
    void waitOnATerminalShowsTheRequestAndInstanceStates() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");

        Jar.Result r = jar.runOnTerminal(null, "launch", "--wait", "--ssh-user", "admin", conf("").toString(),
                creds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        String request = requestId(r.stdout());
        String instance = instanceOf(request);
        // The progress line rewrites itself: carriage return, erase to end of line, elapsed seconds, states.
        assertTrue(Pattern.compile("\r\033\\[K\\[\\d+ s\\] " + Pattern.quote("spot request " + request
                + ": active (fulfilled), instance " + instance + ": running")).matcher(r.stdout()).find(), r::toString);
        assertTrue(r.stdout().contains("ssh admin@"), r::toString);
    }

    @Test
    void stopOnATerminalAsksAndDoesNothingWithoutYes() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        String request = launch();
        moto.clearRecording();

        Jar.Result no = jar.runOnTerminal("n\n", "stop", conf("").toString(), creds().toString());

        assertEquals(1, no.exitCode(), no::toString);
        assertTrue(no.stdout().contains("cancel spot request " + request + " (persistent, active)"), no::toString);
        assertTrue(no.stdout().contains("Go ahead? [y/N]"), no::toString);
        assertTrue(no.stdout().contains("not confirmed; nothing was changed"), no::toString);
        assertTrue(moto.calls("CancelSpotInstanceRequests").isEmpty());

        Jar.Result yes = jar.runOnTerminal("y\n", "stop", conf("").toString(), creds().toString());

        assertEquals(0, yes.exitCode(), yes::toString);
        assertTrue(yes.stdout().contains("Cancelled spot request " + request), yes::toString);
    }

    @Test
    void stopOnATerminalWithYesDoesNotAsk() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        String request = launch();

        Jar.Result r = jar.runOnTerminal(null, "stop", "--yes", conf("").toString(), creds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertFalse(r.stdout().contains("Go ahead?"), r::toString);
        assertTrue(r.stdout().contains("Cancelled spot request " + request), r::toString);
    }

    @Test
    void completionScriptCoversEveryCommand() throws Exception {
        Jar.Result r = jar.run("completion", "bash");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("complete -F"), r::toString);
        for (String command : List.of("launch", "status", "logs", "stop", "ssh", "snapshot", "cleanup", "prices", "user-data",
                "--move-volume", "--output", "--all", "--print", "--keep")) {
            assertTrue(r.stdout().contains(command), command + " missing");
        }
        Process bash = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
        bash.getOutputStream().write(r.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bash.getOutputStream().close();
        assertEquals(0, bash.waitFor(), new String(bash.getInputStream().readAllBytes()));
        assertTrue(moto.calls().isEmpty());
    }

    private String launch() throws Exception {
        Jar.Result r = jar.run("launch", conf("").toString(), creds().toString());
        assertEquals(0, r.exitCode(), r::toString);
        return requestId(r.stdout());
    }

    private static String requestId(String stdout) {
        Matcher m = REQUEST_ID.matcher(stdout);
        assertTrue(m.find(), stdout);
        return m.group(1);
    }

    private static String instanceOf(String request) {
        return ec2.describeSpotInstanceRequests(r -> r.spotInstanceRequestIds(request)).spotInstanceRequests().get(0)
                .instanceId();
    }

    private static Volume volumeNamed(Ec2Client client, String name) {
        List<Volume> named = client.describeVolumes(r -> r.filters(Filter.builder().name("tag:Name").values(name).build()))
                .volumes();
        assertEquals(1, named.size(), named::toString);
        return named.get(0);
    }

    private static String tag(List<Tag> tags, String key) {
        return tags.stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }

    private static TagSpecification nameTag(String name) {
        return TagSpecification.builder().resourceType(ResourceType.VOLUME)
                .tags(Tag.builder().key("Name").value(name).build()).build();
    }

    private Path conf(String extra) throws IOException {
        return writeConf(dir, seed.imageId(), extra);
    }

    private Path creds() throws IOException {
        Path creds = dir.resolve(".aws.creds");
        Files.writeString(creds, "AWSAccessKeyId=" + Moto.ACCESS_KEY_ID + "\nAWSSecretKey=" + Moto.SECRET_ACCESS_KEY + "\n");
        Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-------"));
        return creds;
    }
}
