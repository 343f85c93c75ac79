package io.github.ec2spotter.ops;

import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.AccessKeys;
import io.github.ec2spotter.model.ConsoleOutput;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.ImageInfo;
import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotPrice;
import io.github.ec2spotter.model.SpotRequest;
import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.model.VolumeInfo;
import io.github.ec2spotter.model.VolumeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An EC2 in memory for the use cases' unit tests: the failures they must handle half-way (a
 * terminate refused after the cancel went through, a snapshot copy that fails) cannot be had
 * from moto at a chosen step. It records every call in order and fails the one it is told to.
 */
final class FakeEc2 implements Ec2 {
    final String region;
    /** Synchronized: launch may look its AMI up on a second thread. */
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final List<VolumeInfo> volumes = new ArrayList<>();
    final List<SpotRequestInfo> requests = new ArrayList<>();
    final Map<String, InstanceInfo> instances = new LinkedHashMap<>();
    final List<SpotRequest> sent = new ArrayList<>();
    /** Each instance's tags and console text, as the boot script would have left them. */
    final Map<String, Map<String, String>> instanceTags = new HashMap<>();
    final Map<String, String> consoles = new HashMap<>();
    private final Map<String, String> failing = new HashMap<>();
    private int ids;

    FakeEc2(String region) {
        this.region = region;
    }

    /** Makes every later call of {@code method} fail with {@code message}, as the gateway's failures read. */
    FakeEc2 failing(String method, String message) {
        failing.put(method, message);
        return this;
    }

    private void call(String method, String detail) {
        calls.add(detail.isEmpty() ? method : method + " " + detail);
        String message = failing.get(method);
        if (message != null) {
            throw new Failure(message);
        }
    }

    private String id(String prefix) {
        return prefix + String.format("%017x", ++ids);
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public AccessKeys resolveKeys() {
        call("resolveKeys", "");
        return new AccessKeys("AKIDFAKEFAKEFAKE0001", "fake-secret-not-a-real-one", Optional.empty());
    }

    @Override
    public List<VolumeInfo> findVolumesByName(String name) {
        call("findVolumesByName", name);
        return List.copyOf(volumes);
    }

    @Override
    public Optional<String> instanceState(String instanceId) {
        call("instanceState", instanceId);
        return Optional.ofNullable(instances.get(instanceId)).map(InstanceInfo::state);
    }

    @Override
    public ImageInfo findImage(String imageId) {
        call("findImage", imageId);
        return new ImageInfo(imageId, "/dev/sda1", OptionalInt.of(8));
    }

    @Override
    public String requestSpotInstance(SpotRequest spot) {
        call("requestSpotInstance", "");
        sent.add(spot);
        return id("sir-");
    }

    @Override
    public void checkSpotRequest(SpotRequest spot) {
        call("checkSpotRequest", "");
    }

    @Override
    public List<SpotRequestInfo> findSpotRequestsForVolume(String volumeId) {
        call("findSpotRequestsForVolume", volumeId);
        return requests.stream().filter(r -> r.volumeId().filter(volumeId::equals).isPresent()).toList();
    }

    @Override
    public List<SpotRequestInfo> findSpotRequestsNamed(String volumeName) {
        call("findSpotRequestsNamed", volumeName);
        return requests.stream().filter(r -> r.name().filter(volumeName::equals).isPresent()).toList();
    }

    @Override
    public Optional<SpotRequestInfo> findSpotRequest(String requestId) {
        call("findSpotRequest", requestId);
        return requests.stream().filter(r -> r.id().equals(requestId)).findFirst();
    }

    @Override
    public Map<String, InstanceInfo> findInstances(Collection<String> instanceIds) {
        call("findInstances", String.join(",", instanceIds));
        Map<String, InstanceInfo> found = new LinkedHashMap<>();
        instanceIds.forEach(id -> Optional.ofNullable(instances.get(id)).ifPresent(i -> found.put(id, i)));
        return found;
    }

    @Override
    public Map<String, String> cancelSpotRequests(List<String> requestIds) {
        call("cancelSpotRequests", String.join(",", requestIds));
        Map<String, String> states = new LinkedHashMap<>();
        requestIds.forEach(id -> states.put(id, "cancelled"));
        return states;
    }

    @Override
    public Map<String, String> terminateInstances(List<String> instanceIds) {
        call("terminateInstances", String.join(",", instanceIds));
        Map<String, String> states = new LinkedHashMap<>();
        instanceIds.forEach(id -> states.put(id, "shutting-down"));
        return states;
    }

    @Override
    public List<SpotPrice> currentSpotPrices(String instanceType) {
        call("currentSpotPrices", instanceType);
        return List.of();
    }

    @Override
    public void awaitVolumeAvailable(String volumeId, Duration timeout) {
        call("awaitVolumeAvailable", volumeId);
    }

    @Override
    public void awaitSnapshotCompleted(String snapshotId, Duration timeout) {
        call("awaitSnapshotCompleted", snapshotId);
    }

    @Override
    public VolumeSpec volumeSpec(String volumeId) {
        call("volumeSpec", volumeId);
        return new VolumeSpec("gp3", 20, Optional.of(3000), Optional.of(125), false, Optional.empty());
    }

    @Override
    public String snapshotVolume(String volumeId, String description, Map<String, String> tags) {
        call("snapshotVolume", volumeId);
        return id("snap-");
    }

    @Override
    public String copySnapshotFrom(String sourceRegion, String snapshotId, String description, Map<String, String> tags) {
        call("copySnapshotFrom", sourceRegion + "/" + snapshotId);
        return id("snap-");
    }

    @Override
    public String createVolumeFromSnapshot(String snapshotId, String zone, VolumeSpec spec, Map<String, String> tags) {
        call("createVolumeFromSnapshot", snapshotId + " " + zone);
        return id("vol-");
    }

    @Override
    public Map<String, String> instanceTags(String instanceId) {
        call("instanceTags", instanceId);
        return instanceTags.getOrDefault(instanceId, Map.of());
    }

    @Override
    public ConsoleOutput consoleOutput(String instanceId) {
        call("consoleOutput", instanceId);
        return new ConsoleOutput(instanceId, Optional.of(java.time.Instant.parse("2026-12-02T10:00:00Z")),
                consoles.getOrDefault(instanceId, ""));
    }

    /** The use cases tested here make no EBS snapshot or clean-up call; those are tested against moto. */
    @Override
    public io.github.ec2spotter.ec2.Ebs ebs() {
        throw new UnsupportedOperationException("FakeEc2 has no EBS");
    }

    @Override
    public void tag(String resourceId, String key, String value) {
        call("tag", resourceId + " " + key + "=" + value);
    }

    @Override
    public void close() {
        calls.add("close");
    }
}
