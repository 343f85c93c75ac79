package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.testing.Jar;
import io.github.ec2spotter.testing.MotoTest;
import io.github.ec2spotter.testing.Seed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * {@code snapshot} run as the jar against moto, checked with the SDK: the snapshot's tags and
 * description, and {@code --keep}, which deletes only the volume's ec2spotter snapshots and never
 * one an AMI is registered from.
 */
class SnapshotIT extends MotoTest {
    private static final Pattern TAKEN = Pattern.compile("^Snapshot (snap-[0-9a-f]+) of volume 'spotter' \\((vol-[0-9a-f]+)\\)"
            + " in us-east-1: ", Pattern.MULTILINE);

    Jar jar;
    String volume;
    Path conf;

    @BeforeEach
    void prepare() throws IOException {
        jar = Jar.built(dir).env("AWS_ENDPOINT_URL_EC2", moto.endpoint());
        volume = Seed.volume(ec2, ZONE, "spotter");
        conf = writeConf(dir, seed.imageId(), "");
        moto.clearRecording();
    }

    @Test
    void theSnapshotIsTaggedAndSaysWhenAndOfWhat() throws Exception {
        Jar.Result r = jar.run("snapshot", "--wait", "--timeout", "60", conf.toString(), motoCreds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        String id = taken(r);
        assertTrue(r.stdout().contains(": completed"), r::toString);
        Snapshot s = ec2.describeSnapshots(d -> d.snapshotIds(id)).snapshots().get(0);
        assertEquals(volume, s.volumeId());
        assertEquals(volume, tag(s, "ec2spotter:volume"));
        assertEquals("spotter", tag(s, "Name"));
        assertTrue(s.description().matches("ec2spotter snapshot of " + volume + " \\(Name=spotter\\) at "
                + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ; crash-consistent: taken while the system may be running"),
                s.description());
        assertTrue(r.stderr().contains("Waiting for snapshot " + id + " to complete (up to 60 s)"), r::toString);
    }

    @Test
    void keepLeavesTheNewestAndNeverAForeignSnapshotOfTheSameVolume() throws Exception {
        String foreign = ec2.createSnapshot(c -> c.volumeId(volume).description("my own")).snapshotId();
        List<String> ours = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ours.add(taken(jar.run("snapshot", conf.toString(), motoCreds().toString())));
        }

        Jar.Result r = jar.run("snapshot", "--keep", "2", "--output", "json", conf.toString(), motoCreds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        Map<String, JsonNode> doc = JsonNodeParser.create().parse(r.stdout()).asObject();
        String newest = doc.get("snapshotId").asString();
        assertEquals(List.of(ours.get(0), ours.get(1)), doc.get("deleted").asArray().stream().map(JsonNode::asString).toList());
        assertEquals(List.of(), doc.get("keptBack").asArray());
        List<String> left = ec2.describeSnapshots(d -> d.ownerIds("self")).snapshots().stream()
                .filter(s -> volume.equals(s.volumeId())).map(Snapshot::snapshotId).sorted().toList();
        assertEquals(java.util.stream.Stream.of(foreign, ours.get(2), newest).sorted().toList(), left);
        assertEquals(2, moto.calls("DeleteSnapshot").size());
    }

    @Test
    void aSnapshotAnAmiIsRegisteredFromIsKeptAndItsAmiNamed() throws Exception {
        // moto registers an AMI with a snapshot of its own making; tagged as ours it stands for a
        // user who registered an AMI from one of ec2spotter's snapshots. It is the oldest.
        String image = ec2.registerImage(i -> i.name("from-a-snapshot").rootDeviceName("/dev/sda1")).imageId();
        String held = ec2.describeImages(d -> d.imageIds(image)).images().get(0).blockDeviceMappings().get(0).ebs()
                .snapshotId();
        ec2.createTags(t -> t.resources(held).tags(Tag.builder().key("ec2spotter:volume").value(volume).build()));
        String older = taken(jar.run("snapshot", conf.toString(), motoCreds().toString()));

        Jar.Result r = jar.run("snapshot", "--keep", "1", conf.toString(), motoCreds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        String newest = taken(r);
        assertTrue(r.stderr().contains("warning: snapshot " + held + " ("), r::toString);
        assertTrue(r.stderr().contains(") is kept: AMI " + image + " is registered from it"), r::toString);
        assertTrue(r.stdout().contains("Deleted snapshot " + older), r::toString);
        List<String> left = ec2.describeSnapshots(d -> d.ownerIds("self")).snapshots().stream().map(Snapshot::snapshotId)
                .toList();
        assertTrue(left.contains(held) && left.contains(newest) && !left.contains(older), left::toString);
        assertEquals(List.of(older), moto.calls("DeleteSnapshot").stream().map(c -> c.param("SnapshotId")).toList());
    }

    @Test
    void noVolumeWithTheNameIsAFailureNamingIt() throws Exception {
        Path other = writeConf(dir, seed.imageId(), "").resolveSibling("other.conf");
        java.nio.file.Files.writeString(other, java.nio.file.Files.readString(conf)
                .replace("ec2spotter_volume_name=spotter", "ec2spotter_volume_name=nosuch"));

        Jar.Result r = jar.run("snapshot", other.toString(), motoCreds().toString());

        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stderr().startsWith("error: no EBS volume tagged Name=nosuch in us-east-1"), r::toString);
        assertTrue(moto.calls("CreateSnapshot").isEmpty());
    }

    @Test
    void keepBelowOneIsABadOption() throws Exception {
        Jar.Result r = jar.run("snapshot", "--keep", "0", conf.toString(), motoCreds().toString());

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("--keep: expected at least 1"), r::toString);
        assertTrue(moto.calls().isEmpty());
    }

    private static String taken(Jar.Result r) {
        assertEquals(0, r.exitCode(), r::toString);
        Matcher m = TAKEN.matcher(r.stdout());
        if (m.find()) {
            return m.group(1);
        }
        // --output json
        return JsonNodeParser.create().parse(r.stdout()).asObject().get("snapshotId").asString();
    }

    private static String tag(Snapshot s, String key) {
        return s.tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }
}
