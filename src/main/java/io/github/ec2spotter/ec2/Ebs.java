package io.github.ec2spotter.ec2;

import io.github.ec2spotter.model.SnapshotInfo;
import io.github.ec2spotter.model.TaggedVolume;
import java.util.List;
import java.util.Map;

/**
 * EBS snapshots and volumes in one region, for {@code snapshot} and {@code cleanup}: finding what
 * ec2spotter made, what holds it, and deleting it. Every failure arrives as a
 * {@link io.github.ec2spotter.model.Failure} that names the call.
 */
public interface Ebs {
    /** This account's snapshots carrying the tag {@code key=value}, in any state. */
    List<SnapshotInfo> snapshotsTagged(String key, String value);

    /** This account's AMIs by the snapshot ids their block device mappings use (snapshot id to AMI id). */
    Map<String, String> imagesBySnapshot();

    /** The volumes whose Name tag begins with {@code prefix}, with their tags. */
    List<TaggedVolume> volumesNamedFrom(String prefix);

    void deleteSnapshot(String snapshotId);

    void deleteVolume(String volumeId);
}
