package io.github.ec2spotter.ec2;

import io.github.ec2spotter.model.SnapshotInfo;
import io.github.ec2spotter.model.TaggedVolume;
import io.github.ec2spotter.model.Tags;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;

/** {@link Ebs} over the region's EC2 client, which {@link Ec2Gateway} owns and closes. */
final class EbsGateway implements Ebs {
    private final Ec2Client client;
    private final String region;
    private final AwsEndpoint endpoint;

    EbsGateway(Ec2Client client, String region, AwsEndpoint endpoint) {
        this.client = client;
        this.region = region;
        this.endpoint = endpoint;
    }

    /** {@inheritDoc} Owner self: a tag filter alone would also page through every public snapshot. */
    @Override
    public List<SnapshotInfo> snapshotsTagged(String key, String value) {
        return call("DescribeSnapshots", () -> client.describeSnapshotsPaginator(r -> r.ownerIds("self")
                        .filters(Ec2Gateway.filter("tag:" + key, value))).snapshots().stream()
                // EC2 filters treat * and ? as wildcards; keep only exact matches.
                .filter(s -> value.equals(tags(s.tags()).get(key)))
                .map(this::snapshotInfo)
                .toList());
    }

    /**
     * {@inheritDoc} All of them, read here: EC2's {@code block-device-mapping.snapshot-id} filter
     * would need a call per snapshot, and the emulator the tests use does not have it.
     */
    @Override
    public Map<String, String> imagesBySnapshot() {
        Map<String, String> bySnapshot = new LinkedHashMap<>();
        call("DescribeImages", () -> client.describeImagesPaginator(r -> r.owners("self")).images().stream().toList())
                .forEach(image ->
                image.blockDeviceMappings().stream()
                        .filter(m -> m.ebs() != null && m.ebs().snapshotId() != null)
                        .forEach(m -> bySnapshot.put(m.ebs().snapshotId(), image.imageId())));
        return bySnapshot;
    }

    @Override
    public List<TaggedVolume> volumesNamedFrom(String prefix) {
        List<Volume> volumes = call("DescribeVolumes", () -> client.describeVolumesPaginator(r -> r.filters(
                Ec2Gateway.filter("tag:" + Tags.NAME, prefix + "*"))).volumes().stream().toList());
        return volumes.stream()
                .map(v -> new TaggedVolume(Ec2Mapping.volumeInfo(v), region, tags(v.tags())))
                .filter(v -> v.name().startsWith(prefix))
                .toList();
    }

    @Override
    public void deleteSnapshot(String snapshotId) {
        call("DeleteSnapshot", () -> client.deleteSnapshot(r -> r.snapshotId(snapshotId)));
    }

    @Override
    public void deleteVolume(String volumeId) {
        call("DeleteVolume", () -> client.deleteVolume(r -> r.volumeId(volumeId)));
    }

    private SnapshotInfo snapshotInfo(Snapshot s) {
        return new SnapshotInfo(s.snapshotId(), s.volumeId(), s.stateAsString(),
                s.startTime() == null ? Instant.EPOCH : s.startTime(), region, tags(s.tags()));
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> byKey = new LinkedHashMap<>();
        tags.forEach(t -> byKey.put(t.key(), t.value()));
        return byKey;
    }

    private <T> T call(String action, Supplier<T> work) {
        try {
            return work.get();
        } catch (SdkException e) {
            throw AwsErrors.failure(action, e, endpoint);
        }
    }
}
