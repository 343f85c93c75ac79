package io.github.ec2spotter.ec2;

import io.github.ec2spotter.model.AccessKeys;
import io.github.ec2spotter.model.ConsoleOutput;
import io.github.ec2spotter.model.ImageInfo;
import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotPrice;
import io.github.ec2spotter.model.SpotRequest;
import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.model.Tags;
import io.github.ec2spotter.model.VolumeInfo;
import io.github.ec2spotter.model.VolumeSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * EC2 in one region, in ec2spotter's terms. {@link Ec2Gateway} implements it with the SDK; the
 * use cases take this interface, so that their unit tests can hand them a fake. Every failure
 * arrives as a {@link io.github.ec2spotter.model.Failure} whose message says what failed and what
 * to check.
 */
public interface Ec2 extends AutoCloseable {

    /** Connects to EC2 in a region; the use cases that cross regions (a volume move, status) take one. */
    @FunctionalInterface
    interface Connector {
        Ec2 connect(String region);
    }

    String region();

    /** The keys the client signs with, for the explicit opt-in that embeds them in user-data. */
    AccessKeys resolveKeys();

    /** Every volume whose Name tag is exactly {@code name}. */
    List<VolumeInfo> findVolumesByName(String name);

    /** The state of an instance ({@code running}, {@code stopped}, ...), empty when EC2 no longer knows it. */
    Optional<String> instanceState(String instanceId);

    /** The AMI, or a failure naming it when it does not exist in this region. */
    ImageInfo findImage(String imageId);

    /**
     * Sends the spot request and returns its id. When the call fails without a definite refusal
     * from EC2, the failure names the spot requests that carry this request's tags.
     */
    String requestSpotInstance(SpotRequest spot);

    /** Asks EC2 whether the request would succeed (its DryRun flag); returns normally when it would. */
    void checkSpotRequest(SpotRequest spot);

    /** The spot requests launch tagged with this volume id ({@link Tags#VOLUME}), in any state. */
    List<SpotRequestInfo> findSpotRequestsForVolume(String volumeId);

    /** The spot requests launch made for a volume name, whichever volume id they carry. */
    List<SpotRequestInfo> findSpotRequestsNamed(String volumeName);

    /** One spot request, empty while EC2 does not know it yet (its API is eventually consistent). */
    Optional<SpotRequestInfo> findSpotRequest(String requestId);

    /** The instances EC2 still knows among these ids, by id; unknown ids are no error. */
    Map<String, InstanceInfo> findInstances(Collection<String> instanceIds);

    /** Cancels spot requests; returns each request's state afterwards. Does not touch their instances. */
    Map<String, String> cancelSpotRequests(List<String> requestIds);

    /** Terminates instances; returns each one's state afterwards. */
    Map<String, String> terminateInstances(List<String> instanceIds);

    /** Every spot price EC2 reports as current for a Linux instance type in this region. */
    List<SpotPrice> currentSpotPrices(String instanceType);

    /** Waits until the volume is {@code available}; a failure names it and the time waited. */
    void awaitVolumeAvailable(String volumeId, Duration timeout);

    /** Waits until the snapshot is {@code completed}. */
    void awaitSnapshotCompleted(String snapshotId, Duration timeout);

    /** What a copy of this volume must keep. */
    VolumeSpec volumeSpec(String volumeId);

    /** Starts a snapshot of the volume, tagged; returns its id. */
    String snapshotVolume(String volumeId, String description, Map<String, String> tags);

    /** Copies a snapshot from another region into this one; returns the copy's id. */
    String copySnapshotFrom(String sourceRegion, String snapshotId, String description, Map<String, String> tags);

    /** Creates a volume from a snapshot in a zone like {@code spec}; returns its id. */
    String createVolumeFromSnapshot(String snapshotId, String zone, VolumeSpec spec, Map<String, String> tags);

    /** The tags on an instance, by key; empty when EC2 no longer knows it. */
    Map<String, String> instanceTags(String instanceId);

    /** EC2's copy of the instance's console output, as the instance wrote it (untrusted text). */
    ConsoleOutput consoleOutput(String instanceId);

    /** EBS in this region: the snapshots and volumes {@code snapshot} and {@code cleanup} find and delete. */
    Ebs ebs();

    /** Sets one tag on an EC2 resource, replacing its value. */
    void tag(String resourceId, String key, String value);

    @Override
    void close();
}
