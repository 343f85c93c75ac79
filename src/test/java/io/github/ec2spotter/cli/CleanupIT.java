package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.testing.Jar;
import io.github.ec2spotter.testing.MotoTest;
import io.github.ec2spotter.testing.Seed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * {@code cleanup} run as the jar against moto after a real {@code launch --move-volume}: it
 * lists what the move left, deletes it when told to, and the volume in use stays.
 */
class CleanupIT extends MotoTest {
    Jar jar;

    @BeforeEach
    void prepare() throws IOException {
        jar = Jar.built(dir).env("AWS_ENDPOINT_URL_EC2", moto.endpoint());
    }

    @Test
    void afterAMoveItListsTheLeftOversAndWithYesDeletesThemButNotTheVolumeInUse() throws Exception {
        String old = movedWithinTheRegion();
        Path conf = dir.resolve("spotter.conf");
        String live = named(ec2, "spotter").volumeId();
        String snapshot = movedFrom(ec2, old).get(0).snapshotId();
        // Something that only looks alike: never the move's.
        String mine = ec2.createSnapshot(c -> c.volumeId(old).description("mine")).snapshotId();
        moto.clearRecording();

        Jar.Result refused = jar.run("cleanup", conf.toString(), motoCreds().toString());

        assertEquals(2, refused.exitCode(), refused::toString);
        assertTrue(refused.stderr().contains("cleanup will:\n  delete volume " + old + " in us-east-1c (spotter-moved-to-"
                + live + ", 20 GiB)\n  delete snapshot " + snapshot + " in us-east-1 (taken by a move of " + old + ")\n"),
                refused::toString);
        assertTrue(refused.stderr().contains("stdin is not a terminal: pass --yes to clean up without asking"),
                refused::toString);
        assertTrue(moto.calls("DeleteVolume").isEmpty() && moto.calls("DeleteSnapshot").isEmpty());

        Jar.Result r = jar.run("cleanup", "--yes", conf.toString(), motoCreds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("Deleted volume " + old + "\nDeleted snapshot " + snapshot + "\n", r.stdout());
        assertTrue(ec2.describeVolumes(v -> v.filters(Filter.builder().name("volume-id").values(old).build()))
                .volumes().isEmpty(), "old volume deleted");
        assertTrue(movedFrom(ec2, old).isEmpty(), "the move's snapshot deleted");
        assertEquals(live, named(ec2, "spotter").volumeId());
        assertEquals(1, ec2.describeSnapshots(s -> s.snapshotIds(mine)).snapshots().size(), "a snapshot of mine stays");

        Jar.Result again = jar.run("cleanup", "--yes", conf.toString(), motoCreds().toString());

        assertEquals(0, again.exitCode(), again::toString);
        assertEquals("Nothing to clean up: launch --move-volume left no volume or snapshot of 'spotter' in us-east-1\n",
                again.stdout());
    }

    @Test
    void afterAMoveAcrossRegionsTheCopyAndTheOldVolumeInItsRegionGoToo() throws Exception {
        try (Ec2Client eu = moto.client("eu-west-1")) {
            String old = eu.createVolume(r -> r.availabilityZone("eu-west-1b").size(12).volumeType("gp3")
                    .tagSpecifications(nameTag("spotter"))).volumeId();
            Path conf = writeConf(dir, seed.imageId(), "ec2spotter_volume_zone=eu-west-1b\n");
            requestIdOf(jar.run("launch", "--move-volume", conf.toString(), motoCreds().toString()));
            String live = named(ec2, "spotter").volumeId();
            String snapshot = movedFrom(eu, old).get(0).snapshotId();
            String copy = movedFrom(ec2, old).get(0).snapshotId();

            Jar.Result listed = jar.run("cleanup", "--yes", "--output", "json", conf.toString(), motoCreds().toString());

            assertEquals(0, listed.exitCode(), listed::toString);
            Map<String, JsonNode> doc = JsonNodeParser.create().parse(listed.stdout()).asObject();
            assertEquals(List.of(old), doc.get("volumes").asArray().stream()
                    .map(v -> v.asObject().get("id").asString()).toList());
            assertEquals("eu-west-1", doc.get("volumes").asArray().get(0).asObject().get("region").asString());
            assertEquals(List.of(old, copy, snapshot).stream().sorted().toList(), doc.get("deleted").asArray().stream()
                    .map(JsonNode::asString).sorted().toList());
            assertTrue(movedFrom(eu, old).isEmpty() && movedFrom(ec2, old).isEmpty());
            assertTrue(eu.describeVolumes(v -> v.filters(Filter.builder().name("volume-id").values(old).build()))
                    .volumes().isEmpty());
            assertEquals(live, named(ec2, "spotter").volumeId());
        }
    }

    @Test
    void onATerminalItAsksAndNoChangesNothing() throws Exception {
        String old = movedWithinTheRegion();
        Path conf = dir.resolve("spotter.conf");
        moto.clearRecording();

        Jar.Result no = jar.runOnTerminal("n\n", "cleanup", conf.toString(), motoCreds().toString());

        assertEquals(1, no.exitCode(), no::toString);
        assertTrue(no.stdout().contains("delete volume " + old), no::toString);
        assertTrue(no.stdout().contains("Go ahead? [y/N]"), no::toString);
        assertTrue(no.stdout().contains("not confirmed; nothing was deleted"), no::toString);
        assertTrue(moto.calls("DeleteVolume").isEmpty());
    }

    @Test
    void aCleanAccountHasNothingToCleanUp() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        Path conf = writeConf(dir, seed.imageId(), "");
        moto.clearRecording();

        Jar.Result r = jar.run("cleanup", conf.toString(), motoCreds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("Nothing to clean up: launch --move-volume left no volume or snapshot of 'spotter' in us-east-1\n",
                r.stdout());
        assertFalse(r.stderr().contains("Go ahead"), r::toString);
        assertTrue(moto.calls("DeleteVolume").isEmpty() && moto.calls("DeleteSnapshot").isEmpty());
    }

    /**
     * A volume in us-east-1c moved by a real launch --move-volume to the launch zone; returns the
     * old volume's id. The conf, spotter.conf in dir, names us-east-1c as the volume zone.
     */
    private String movedWithinTheRegion() throws Exception {
        String old = ec2.createVolume(r -> r.availabilityZone("us-east-1c").size(20).volumeType("gp3")
                .tagSpecifications(nameTag("spotter"))).volumeId();
        Path conf = writeConf(dir, seed.imageId(), "ec2spotter_volume_zone=us-east-1c\n");
        requestIdOf(jar.run("launch", "--move-volume", conf.toString(), motoCreds().toString()));
        return old;
    }

    private static Volume named(Ec2Client client, String name) {
        List<Volume> named = client.describeVolumes(r -> r.filters(Filter.builder().name("tag:Name").values(name).build()))
                .volumes();
        assertEquals(1, named.size(), named::toString);
        return named.get(0);
    }

    private static List<Snapshot> movedFrom(Ec2Client client, String volumeId) {
        return client.describeSnapshots(s -> s.ownerIds("self").filters(Filter.builder()
                .name("tag:ec2spotter:moved-from").values(volumeId).build())).snapshots();
    }

    private static TagSpecification nameTag(String name) {
        return TagSpecification.builder().resourceType(ResourceType.VOLUME)
                .tags(Tag.builder().key("Name").value(name).build()).build();
    }
}
