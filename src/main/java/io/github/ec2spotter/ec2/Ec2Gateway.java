package io.github.ec2spotter.ec2;

import io.github.ec2spotter.model.AccessKeys;
import io.github.ec2spotter.model.ConsoleOutput;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.ImageInfo;
import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotPrice;
import io.github.ec2spotter.model.SpotRequest;
import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.model.Tags;
import io.github.ec2spotter.model.VolumeInfo;
import io.github.ec2spotter.model.VolumeSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;

/** {@link Ec2} with the SDK: one client for one region (built by {@link Ec2Clients}); SDK failures leave as {@link Failure}s. */
final class Ec2Gateway implements Ec2 {
    /** How often the SDK's waiters look again. */
    private static final Duration WAITER_DELAY = Duration.ofSeconds(5);

    private final Ec2Client client;
    private final String region;
    private final AwsEndpoint endpoint;
    private final AwsCredentialsProvider credentials;
    private final SpotRequestCalls spotRequests;
    private final InstanceCalls instanceCalls;
    private final EbsGateway ebs;

    Ec2Gateway(Ec2Client client, String region, AwsEndpoint endpoint, AwsCredentialsProvider credentials) {
        this.client = client;
        this.region = region;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.spotRequests = new SpotRequestCalls(client, region, endpoint);
        this.instanceCalls = new InstanceCalls(client, endpoint);
        this.ebs = new EbsGateway(client, region, endpoint);
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public AccessKeys resolveKeys() {
        AwsCredentials c = call("resolve the AWS credentials", credentials::resolveCredentials);
        Optional<String> token = c instanceof AwsSessionCredentials s ? Optional.of(s.sessionToken()) : Optional.empty();
        return new AccessKeys(c.accessKeyId(), c.secretAccessKey(), token);
    }

    @Override
    public List<VolumeInfo> findVolumesByName(String name) {
        List<Volume> volumes = call("DescribeVolumes", () -> client.describeVolumesPaginator(r -> r.filters(
                filter("tag:" + Tags.NAME, name))).volumes().stream().toList());
        // EC2 filters treat * and ? as wildcards; keep only exact matches.
        return volumes.stream()
                .filter(v -> v.tags().stream().anyMatch(t -> t.key().equals(Tags.NAME) && t.value().equals(name)))
                .map(Ec2Mapping::volumeInfo)
                .toList();
    }

    @Override
    public Optional<String> instanceState(String instanceId) {
        return call("DescribeInstances", () -> unlessNotFound("InvalidInstanceID.NotFound",
                () -> client.describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
                        .flatMap(r -> r.instances().stream())
                        .findFirst()
                        .map(i -> i.state().nameAsString())));
    }

    @Override
    public ImageInfo findImage(String imageId) {
        Image image = call("DescribeImages", () -> client.describeImages(r -> r.imageIds(imageId))).images().stream()
                .findFirst().orElseThrow(() -> new Failure("AMI " + imageId + " does not exist in " + region
                        + "; check ec2spotter_preboot_image_id"));
        return Ec2Mapping.imageInfo(image);
    }

    @Override
    public String requestSpotInstance(SpotRequest spot) {
        return spotRequests.request(spot);
    }

    @Override
    public void checkSpotRequest(SpotRequest spot) {
        spotRequests.check(spot);
    }

    @Override
    public List<SpotRequestInfo> findSpotRequestsForVolume(String volumeId) {
        return findSpotRequests(filter("tag:" + Tags.VOLUME, volumeId));
    }

    /** {@inheritDoc} After a move the name stays and the id changes. */
    @Override
    public List<SpotRequestInfo> findSpotRequestsNamed(String volumeName) {
        return findSpotRequests(filter("tag:" + Tags.NAME, volumeName), filter("tag-key", Tags.VOLUME)).stream()
                .filter(r -> r.name().filter(volumeName::equals).isPresent())
                .toList();
    }

    private List<SpotRequestInfo> findSpotRequests(Filter... filters) {
        return call("DescribeSpotInstanceRequests", () -> client.describeSpotInstanceRequestsPaginator(r -> r
                .filters(filters)).spotInstanceRequests().stream().map(Ec2Mapping::spotRequestInfo).toList());
    }

    @Override
    public Optional<SpotRequestInfo> findSpotRequest(String requestId) {
        return call("DescribeSpotInstanceRequests", () -> unlessNotFound("InvalidSpotInstanceRequestID.NotFound",
                () -> client.describeSpotInstanceRequests(r -> r.spotInstanceRequestIds(requestId))
                        .spotInstanceRequests().stream().findFirst().map(Ec2Mapping::spotRequestInfo)));
    }

    /** {@inheritDoc} A filter, not InstanceIds, so that unknown ids are no error. */
    @Override
    public Map<String, InstanceInfo> findInstances(Collection<String> instanceIds) {
        if (instanceIds.isEmpty()) {
            return Map.of();
        }
        List<Instance> instances = call("DescribeInstances", () -> client.describeInstancesPaginator(r -> r.filters(
                Filter.builder().name("instance-id").values(instanceIds).build())).reservations().stream()
                .flatMap(r -> r.instances().stream()).toList());
        Map<String, InstanceInfo> byId = new LinkedHashMap<>();
        instances.forEach(i -> byId.put(i.instanceId(), Ec2Mapping.instanceInfo(i)));
        return byId;
    }

    @Override
    public Map<String, String> cancelSpotRequests(List<String> requestIds) {
        Map<String, String> states = new LinkedHashMap<>();
        call("CancelSpotInstanceRequests", () -> client.cancelSpotInstanceRequests(r -> r.spotInstanceRequestIds(requestIds)))
                .cancelledSpotInstanceRequests()
                .forEach(c -> states.put(c.spotInstanceRequestId(), c.stateAsString()));
        return states;
    }

    @Override
    public Map<String, String> terminateInstances(List<String> instanceIds) {
        Map<String, String> states = new LinkedHashMap<>();
        call("TerminateInstances", () -> client.terminateInstances(r -> r.instanceIds(instanceIds)))
                .terminatingInstances()
                .forEach(t -> states.put(t.instanceId(), t.currentState().nameAsString()));
        return states;
    }

    /** {@inheritDoc} A start time of now asks for the price in force now, not a history. */
    @Override
    public List<SpotPrice> currentSpotPrices(String instanceType) {
        Instant now = Instant.now();
        return call("DescribeSpotPriceHistory", () -> client.describeSpotPriceHistoryPaginator(r -> r
                        .instanceTypesWithStrings(instanceType)
                        .productDescriptions("Linux/UNIX", "Linux/UNIX (Amazon VPC)")
                        .startTime(now))
                .spotPriceHistory().stream()
                .flatMap(p -> Ec2Mapping.spotPrice(p).stream())
                .toList());
    }

    @Override
    public void awaitVolumeAvailable(String volumeId, Duration timeout) {
        await("volume " + volumeId + " to become available", timeout,
                () -> client.waiter().waitUntilVolumeAvailable(r -> r.volumeIds(volumeId), waiting(timeout)));
    }

    @Override
    public void awaitSnapshotCompleted(String snapshotId, Duration timeout) {
        await("snapshot " + snapshotId + " to complete", timeout,
                () -> client.waiter().waitUntilSnapshotCompleted(r -> r.snapshotIds(snapshotId), waiting(timeout)));
    }

    @Override
    public VolumeSpec volumeSpec(String volumeId) {
        return Ec2Mapping.volumeSpec(call("DescribeVolumes", () -> client.describeVolumes(r -> r.volumeIds(volumeId)))
                .volumes().stream().findFirst()
                .orElseThrow(() -> new Failure("volume " + volumeId + " no longer exists in " + region)));
    }

    @Override
    public String snapshotVolume(String volumeId, String description, Map<String, String> tags) {
        return call("CreateSnapshot", () -> client.createSnapshot(r -> r.volumeId(volumeId).description(description)
                .tagSpecifications(Ec2Mapping.tagging(ResourceType.SNAPSHOT, tags)))).snapshotId();
    }

    /**
     * {@inheritDoc} The call is made in the destination. An encrypted snapshot is re-encrypted with
     * this region's default EBS key: KMS keys do not cross regions.
     */
    @Override
    public String copySnapshotFrom(String sourceRegion, String snapshotId, String description, Map<String, String> tags) {
        // The destination region, given explicitly, spares the SDK guessing it from the endpoint's host
        // name when it presigns the copy (a custom endpoint has no region in its name).
        return call("CopySnapshot", () -> client.copySnapshot(r -> r.sourceRegion(sourceRegion).destinationRegion(region)
                .sourceSnapshotId(snapshotId).description(description)
                .tagSpecifications(Ec2Mapping.tagging(ResourceType.SNAPSHOT, tags)))).snapshotId();
    }

    @Override
    public String createVolumeFromSnapshot(String snapshotId, String zone, VolumeSpec spec, Map<String, String> tags) {
        return call("CreateVolume", () -> client.createVolume(r -> {
            r.snapshotId(snapshotId).availabilityZone(zone).volumeType(spec.type()).size(spec.sizeGib())
                    .encrypted(spec.encrypted()).tagSpecifications(Ec2Mapping.tagging(ResourceType.VOLUME, tags));
            spec.iops().ifPresent(r::iops);
            spec.throughput().ifPresent(r::throughput);
            spec.kmsKeyId().ifPresent(r::kmsKeyId);
        })).volumeId();
    }

    @Override
    public Map<String, String> instanceTags(String instanceId) {
        return instanceCalls.tags(instanceId);
    }

    @Override
    public ConsoleOutput consoleOutput(String instanceId) {
        return instanceCalls.consoleOutput(instanceId);
    }

    @Override
    public Ebs ebs() {
        return ebs;
    }

    @Override
    public void tag(String resourceId, String key, String value) {
        call("CreateTags", () -> client.createTags(r -> r.resources(resourceId)
                .tags(Tag.builder().key(key).value(value).build())));
    }

    @Override
    public void close() {
        client.close();
    }

    static Filter filter(String name, String value) {
        return Filter.builder().name(name).values(value).build();
    }

    /** A waiter bounded by time only, polling every few seconds. */
    private static Consumer<WaiterOverrideConfiguration.Builder> waiting(Duration timeout) {
        return o -> o.waitTimeout(timeout).maxAttempts(Integer.MAX_VALUE)
                .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(WAITER_DELAY));
    }

    private void await(String what, Duration timeout, Runnable waiter) {
        try {
            waiter.run();
        } catch (SdkClientException e) {
            throw AwsErrors.waiterFailure(what, timeout, e, endpoint);
        } catch (SdkException e) {
            throw AwsErrors.failure("waiting for " + what, e, endpoint);
        }
    }

    private <T> T call(String action, Supplier<T> work) {
        try {
            return work.get();
        } catch (SdkException e) {
            throw AwsErrors.failure(action, e, endpoint);
        }
    }

    /** An empty answer where EC2 reports the object unknown with this error code. */
    private static <T> Optional<T> unlessNotFound(String notFoundCode, Supplier<Optional<T>> work) {
        try {
            return work.get();
        } catch (Ec2Exception e) {
            if (notFoundCode.equals(code(e))) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static String code(Ec2Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }
}
