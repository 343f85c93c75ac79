package io.github.ec2spotter.aws;

import io.github.ec2spotter.Failure;
import io.github.ec2spotter.config.Credentials;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IamInstanceProfileSpecification;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.RequestSpotInstancesRequest;
import software.amazon.awssdk.services.ec2.model.RequestSpotLaunchSpecification;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SpotInstanceRequest;
import software.amazon.awssdk.services.ec2.model.SpotPlacement;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeType;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * The only class that speaks the EC2 SDK: one client for one region, and methods named after
 * what ec2spotter means. Every SDK failure leaves here as a {@link Failure} whose message says
 * what failed and what to check.
 */
public final class Ec2Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Ec2Gateway.class);

    /** Connecting and reading are bounded so that an unreachable or hung endpoint fails in seconds. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    /** The whole call, retries included; the figure the README promises for a dead endpoint. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(40);
    /** How often the SDK's waiters look again. */
    static final Duration WAITER_DELAY = Duration.ofSeconds(5);
    /** The look-up after an unanswered spot request: short, because the endpoint just failed once. */
    public static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(15);
    /** The class {@code Ec2Client.builder().build()} instantiates. */
    private static final String SDK_CLIENT_CLASS = "software.amazon.awssdk.services.ec2.DefaultEc2Client";

    private final Ec2Client client;
    private final String region;
    private final AwsEndpoint endpoint;
    private final AwsCredentialsProvider credentials;

    private Ec2Gateway(Ec2Client client, String region, AwsEndpoint endpoint, AwsCredentialsProvider credentials) {
        this.client = client;
        this.region = region;
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    /** A gateway to EC2 in one region. The client is built once, with explicit region and credentials. */
    public static Ec2Gateway connect(Credentials credentials, String region, Map<String, String> env) {
        startLoadingClientClass();
        AwsEndpoint endpoint = AwsEndpoint.forRegion(region, env);
        AwsCredentialsProvider provider = provider(credentials);
        Ec2Client client = Ec2Client.builder()
                .region(Region.of(region))
                .endpointOverride(endpoint.uri())
                .credentialsProvider(provider)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(READ_TIMEOUT)
                        .build())
                .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT))
                .build();
        log.debug("EC2 endpoint {} in {}, {}", endpoint, region, credentials);
        return new Ec2Gateway(client, region, endpoint, provider);
    }

    /**
     * The SDK's EC2 client class has an operation for every EC2 action; before its first use the JVM
     * verifies it, loading some 800 request classes to do so: 0.45 s of a bare {@code java -jar
     * launch} on a slow machine. Done on a second thread, it overlaps with building the client
     * (configuration, HTTP client, trust store), which ends by instantiating that class. Best
     * effort: if the SDK names the class differently, the work happens on first use as before.
     */
    private static void startLoadingClientClass() {
        Thread loader = new Thread(() -> {
            try {
                Class.forName(SDK_CLIENT_CLASS, true, Ec2Gateway.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                log.debug("cannot load {} ahead of use: {}", SDK_CLIENT_CLASS, e.toString());
            }
        }, "ec2-client-class");
        loader.setDaemon(true);
        loader.start();
    }

    public String region() {
        return region;
    }

    public AwsEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Resolves the credentials the client signs with, for the explicit opt-in that embeds them
     * in user-data.
     */
    public ResolvedKeys resolveKeys() {
        AwsCredentials c = call("resolve the AWS credentials", credentials::resolveCredentials);
        Optional<String> token = c instanceof AwsSessionCredentials s ? Optional.of(s.sessionToken()) : Optional.empty();
        return new ResolvedKeys(c.accessKeyId(), c.secretAccessKey(), token);
    }

    /** Access keys as resolved; {@link #toString()} hides the secret parts. */
    public record ResolvedKeys(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
        @Override
        public String toString() {
            return "keys " + accessKeyId;
        }
    }

    /** Every volume whose Name tag is exactly {@code name}. */
    public List<VolumeInfo> findVolumesByName(String name) {
        List<Volume> volumes = call("DescribeVolumes", () -> client.describeVolumesPaginator(r -> r.filters(
                Filter.builder().name("tag:Name").values(name).build())).volumes().stream().toList());
        // EC2 filters treat * and ? as wildcards; keep only exact matches.
        return volumes.stream()
                .filter(v -> v.tags().stream().anyMatch(t -> t.key().equals("Name") && t.value().equals(name)))
                .map(Ec2Gateway::volumeInfo)
                .toList();
    }

    /** The state of an instance ({@code running}, {@code stopped}, ...), empty when EC2 no longer knows it. */
    public Optional<String> instanceState(String instanceId) {
        return call("DescribeInstances", () -> {
            try {
                return client.describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
                        .flatMap(r -> r.instances().stream())
                        .findFirst()
                        .map(i -> i.state().nameAsString());
            } catch (Ec2Exception e) {
                if ("InvalidInstanceID.NotFound".equals(code(e))) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** The AMI, or a failure naming it when it does not exist in this region. */
    public ImageInfo findImage(String imageId) {
        DescribeImagesResponse response = call("DescribeImages", () -> client.describeImages(r -> r.imageIds(imageId)));
        Image image = response.images().stream().findFirst().orElseThrow(() -> new Failure("AMI " + imageId
                + " does not exist in " + region + "; check ec2spotter_preboot_image_id"));
        String root = image.rootDeviceName() == null ? "/dev/sda1" : image.rootDeviceName();
        OptionalInt size = image.blockDeviceMappings().stream()
                .filter(m -> root.equals(m.deviceName()) && m.ebs() != null && m.ebs().volumeSize() != null)
                .mapToInt(m -> m.ebs().volumeSize())
                .findFirst();
        return new ImageInfo(image.imageId(), image.name(), root, size);
    }

    /**
     * Sends the spot request and returns its id.
     *
     * <p>The call carries a client token, so the SDK's retries of it are one request to EC2, not
     * several. When the call fails without a definite refusal from EC2 (a 5xx, a lost or
     * unreadable answer), EC2 may have created the request all the same: the failure then names
     * the spot requests that carry this request's tags, so that nothing is left behind unseen.
     */
    public String requestSpotInstance(SpotRequest spot) {
        String clientToken = UUID.randomUUID().toString();
        try {
            return client.requestSpotInstances(toSdk(spot, false).toBuilder().clientToken(clientToken).build())
                    .spotInstanceRequests().get(0).spotInstanceRequestId();
        } catch (SdkException e) {
            if (e instanceof AwsServiceException refused && refused.statusCode() >= 400 && refused.statusCode() < 500) {
                throw AwsErrors.failure("RequestSpotInstances", e, endpoint);
            }
            throw new Failure(AwsErrors.describe("RequestSpotInstances", e, endpoint) + ". " + leftBehind(spot), e);
        }
    }

    /** What exists after an ambiguous failure of RequestSpotInstances, as one sentence with the commands to act on it. */
    private String leftBehind(SpotRequest spot) {
        List<Filter> filters = new ArrayList<>();
        spot.tags().forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        filters.add(Filter.builder().name("state").values("open", "active").build());
        String tagged = spot.tags().entrySet().stream().map(t -> t.getKey() + "=" + t.getValue())
                .collect(Collectors.joining(", "));
        String describe = "aws ec2 describe-spot-instance-requests --region " + region + " --filters "
                + spot.tags().entrySet().stream()
                        .map(t -> "Name=tag:" + t.getKey() + ",Values=" + t.getValue())
                        .collect(Collectors.joining(" "));
        List<SpotInstanceRequest> found;
        try {
            found = client.describeSpotInstanceRequests(r -> r.filters(filters)
                    .overrideConfiguration(o -> o.apiCallTimeout(LOOKUP_TIMEOUT))).spotInstanceRequests();
        } catch (SdkException e) {
            return "EC2 may have created the spot request anyway, and checking failed too: look for requests tagged "
                    + tagged + " with: " + describe;
        }
        if (found.isEmpty()) {
            return "EC2 holds no open or active spot request tagged " + tagged + ": nothing was created";
        }
        String ids = found.stream().map(SpotInstanceRequest::spotInstanceRequestId).collect(Collectors.joining(" "));
        return "EC2 holds " + found.size() + " open or active spot request(s) tagged " + tagged + " anyway: "
                + found.stream().map(r -> r.spotInstanceRequestId() + " (" + r.stateAsString() + ", created "
                        + r.createTime() + ")").collect(Collectors.joining(", "))
                + "; keep one, or cancel with: aws ec2 cancel-spot-instance-requests --region " + region
                + " --spot-instance-request-ids " + ids;
    }

    /**
     * Asks EC2 whether the request would succeed, with its {@code DryRun} flag. Returns normally
     * when it would; a refusal arrives as a {@link Failure} like any other.
     */
    public void checkSpotRequest(SpotRequest spot) {
        try {
            client.requestSpotInstances(toSdk(spot, true));
        } catch (Ec2Exception e) {
            if ("DryRunOperation".equals(code(e))) {
                return;
            }
            throw AwsErrors.failure("RequestSpotInstances", e, endpoint);
        } catch (SdkException e) {
            throw AwsErrors.failure("RequestSpotInstances", e, endpoint);
        }
        throw new Failure("EC2 at " + endpoint + " accepted a DryRun request as a real one; check the endpoint");
    }

    /** The spot requests launch tagged with this volume id ({@link SpotRequest#VOLUME_TAG}), in any state. */
    public List<SpotRequestInfo> findSpotRequestsForVolume(String volumeId) {
        return findSpotRequests(Filter.builder().name("tag:" + SpotRequest.VOLUME_TAG).values(volumeId).build());
    }

    /**
     * The spot requests launch made for a volume name (its {@code Name} tag on the request), whichever
     * volume id they carry: after a move the name stays and the id changes.
     */
    public List<SpotRequestInfo> findSpotRequestsNamed(String volumeName) {
        return findSpotRequests(Filter.builder().name("tag:Name").values(volumeName).build(),
                Filter.builder().name("tag-key").values(SpotRequest.VOLUME_TAG).build()).stream()
                .filter(r -> r.name().filter(volumeName::equals).isPresent())
                .toList();
    }

    /** One spot request, empty while EC2 does not know it yet (its API is eventually consistent). */
    public Optional<SpotRequestInfo> findSpotRequest(String requestId) {
        return call("DescribeSpotInstanceRequests", () -> {
            try {
                return client.describeSpotInstanceRequests(r -> r.spotInstanceRequestIds(requestId))
                        .spotInstanceRequests().stream().findFirst().map(Ec2Gateway::spotRequestInfo);
            } catch (Ec2Exception e) {
                if ("InvalidSpotInstanceRequestID.NotFound".equals(code(e))) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** The instances EC2 still knows among these ids, by id; a filter (not InstanceIds) so unknown ids are no error. */
    public Map<String, InstanceInfo> findInstances(Collection<String> instanceIds) {
        if (instanceIds.isEmpty()) {
            return Map.of();
        }
        List<Instance> instances = call("DescribeInstances", () -> client.describeInstancesPaginator(r -> r.filters(
                Filter.builder().name("instance-id").values(instanceIds).build())).reservations().stream()
                .flatMap(r -> r.instances().stream()).toList());
        Map<String, InstanceInfo> byId = new LinkedHashMap<>();
        for (Instance i : instances) {
            byId.put(i.instanceId(), new InstanceInfo(i.instanceId(), i.state().nameAsString(),
                    Optional.ofNullable(i.publicIpAddress()).filter(s -> !s.isEmpty()),
                    Optional.ofNullable(i.publicDnsName()).filter(s -> !s.isEmpty()),
                    Optional.ofNullable(i.launchTime()), Optional.ofNullable(i.keyName())));
        }
        return byId;
    }

    /** Cancels spot requests; returns each request's state afterwards. Does not touch their instances. */
    public Map<String, String> cancelSpotRequests(List<String> requestIds) {
        Map<String, String> states = new LinkedHashMap<>();
        call("CancelSpotInstanceRequests", () -> client.cancelSpotInstanceRequests(r -> r.spotInstanceRequestIds(requestIds)))
                .cancelledSpotInstanceRequests()
                .forEach(c -> states.put(c.spotInstanceRequestId(), c.stateAsString()));
        return states;
    }

    /** Terminates instances; returns each one's state afterwards ({@code shutting-down}, {@code terminated}). */
    public Map<String, String> terminateInstances(List<String> instanceIds) {
        Map<String, String> states = new LinkedHashMap<>();
        call("TerminateInstances", () -> client.terminateInstances(r -> r.instanceIds(instanceIds)))
                .terminatingInstances()
                .forEach(t -> states.put(t.instanceId(), t.currentState().nameAsString()));
        return states;
    }

    /**
     * Every spot price EC2 reports as current for a Linux instance type in this region, one or more
     * per zone. (A start time of now asks for the price in force now, not a history.)
     */
    public List<SpotPrice> currentSpotPrices(String instanceType) {
        Instant now = Instant.now();
        return call("DescribeSpotPriceHistory", () -> client.describeSpotPriceHistoryPaginator(r -> r
                        .instanceTypesWithStrings(instanceType)
                        .productDescriptions("Linux/UNIX", "Linux/UNIX (Amazon VPC)")
                        .startTime(now))
                .spotPriceHistory().stream()
                .filter(p -> p.spotPrice() != null && p.availabilityZone() != null)
                .map(p -> new SpotPrice(p.availabilityZone(), p.instanceTypeAsString(), new BigDecimal(p.spotPrice()),
                        p.timestamp() == null ? Instant.EPOCH : p.timestamp()))
                .toList());
    }

    /** Waits, with the SDK's waiter, until the volume is {@code available}; a failure names it and the time waited. */
    public void awaitVolumeAvailable(String volumeId, Duration timeout) {
        await("volume " + volumeId + " to become available", timeout,
                () -> client.waiter().waitUntilVolumeAvailable(r -> r.volumeIds(volumeId), waiting(timeout)));
    }

    /** Waits, with the SDK's waiter, until the snapshot is {@code completed}. */
    public void awaitSnapshotCompleted(String snapshotId, Duration timeout) {
        await("snapshot " + snapshotId + " to complete", timeout,
                () -> client.waiter().waitUntilSnapshotCompleted(r -> r.snapshotIds(snapshotId), waiting(timeout)));
    }

    /** What a copy of this volume must keep. */
    public VolumeSpec volumeSpec(String volumeId) {
        Volume v = call("DescribeVolumes", () -> client.describeVolumes(r -> r.volumeIds(volumeId))).volumes().stream()
                .findFirst().orElseThrow(() -> new Failure("volume " + volumeId + " no longer exists in " + region));
        return new VolumeSpec(v.volumeTypeAsString(), v.size() == null ? 0 : v.size(),
                Optional.ofNullable(v.iops()), Optional.ofNullable(v.throughput()),
                Boolean.TRUE.equals(v.encrypted()), Optional.ofNullable(v.kmsKeyId()));
    }

    /** Starts a snapshot of the volume, tagged; returns its id. */
    public String snapshotVolume(String volumeId, String description, Map<String, String> tags) {
        return call("CreateSnapshot", () -> client.createSnapshot(r -> r.volumeId(volumeId).description(description)
                .tagSpecifications(tagging(ResourceType.SNAPSHOT, tags)))).snapshotId();
    }

    /**
     * Copies a snapshot from another region into this gateway's region (the call is made in the
     * destination); returns the copy's id. An encrypted snapshot is re-encrypted with this region's
     * default EBS key: KMS keys do not cross regions.
     */
    public String copySnapshotFrom(String sourceRegion, String snapshotId, String description, Map<String, String> tags) {
        // The destination region, given explicitly, spares the SDK guessing it from the endpoint's host
        // name when it presigns the copy (a custom endpoint has no region in its name).
        return call("CopySnapshot", () -> client.copySnapshot(r -> r.sourceRegion(sourceRegion).destinationRegion(region)
                .sourceSnapshotId(snapshotId).description(description)
                .tagSpecifications(tagging(ResourceType.SNAPSHOT, tags)))).snapshotId();
    }

    /** Creates a volume from a snapshot in a zone with the given type, size, IOPS, throughput and encryption. */
    public String createVolumeFromSnapshot(String snapshotId, String zone, VolumeSpec spec, Map<String, String> tags) {
        return call("CreateVolume", () -> client.createVolume(r -> {
            r.snapshotId(snapshotId).availabilityZone(zone).volumeType(spec.type()).size(spec.sizeGib())
                    .encrypted(spec.encrypted()).tagSpecifications(tagging(ResourceType.VOLUME, tags));
            spec.iops().ifPresent(r::iops);
            spec.throughput().ifPresent(r::throughput);
            spec.kmsKeyId().ifPresent(r::kmsKeyId);
        })).volumeId();
    }

    /** Sets one tag on an EC2 resource (a volume's Name, say), replacing its value. */
    public void tag(String resourceId, String key, String value) {
        call("CreateTags", () -> client.createTags(r -> r.resources(resourceId)
                .tags(Tag.builder().key(key).value(value).build())));
    }

    @Override
    public void close() {
        client.close();
    }

    private static RequestSpotInstancesRequest toSdk(SpotRequest spot, boolean dryRun) {
        RequestSpotLaunchSpecification.Builder launch = RequestSpotLaunchSpecification.builder()
                .imageId(spot.imageId())
                .instanceType(spot.instanceType())
                .ebsOptimized(true)
                .placement(SpotPlacement.builder().availabilityZone(spot.zone()).build())
                .blockDeviceMappings(BlockDeviceMapping.builder()
                        .deviceName(spot.rootDeviceName())
                        .ebs(EbsBlockDevice.builder()
                                .volumeType(VolumeType.GP3)
                                .volumeSize(spot.rootSizeGib())
                                .deleteOnTermination(true)
                                .build())
                        .build())
                .userData(Base64.getEncoder().encodeToString(spot.userData()));
        spot.keyName().ifPresent(launch::keyName);
        spot.iamInstanceProfile().ifPresent(p -> launch.iamInstanceProfile(p.startsWith("arn:")
                ? IamInstanceProfileSpecification.builder().arn(p).build()
                : IamInstanceProfileSpecification.builder().name(p).build()));
        if (spot.subnet().isPresent()) {
            // A public IP can only be asked for on a network interface, and then the groups go there too.
            launch.networkInterfaces(InstanceNetworkInterfaceSpecification.builder()
                    .deviceIndex(0)
                    .subnetId(spot.subnet().get())
                    .groups(spot.securityGroups())
                    .associatePublicIpAddress(true)
                    .deleteOnTermination(true)
                    .build());
        } else if (!spot.securityGroups().isEmpty()) {
            launch.securityGroupIds(spot.securityGroups());
        }
        RequestSpotInstancesRequest.Builder request = RequestSpotInstancesRequest.builder()
                .dryRun(dryRun)
                .instanceCount(1)
                .type(spot.requestType())
                .instanceInterruptionBehavior(spot.interruptionBehavior())
                .launchSpecification(launch.build())
                .tagSpecifications(TagSpecification.builder()
                        .resourceType(ResourceType.SPOT_INSTANCES_REQUEST)
                        .tags(spot.tags().entrySet().stream()
                                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
                                .toList())
                        .build());
        spot.maxPrice().ifPresent(p -> request.spotPrice(p.toPlainString()));
        return request.build();
    }

    private static VolumeInfo volumeInfo(Volume v) {
        return new VolumeInfo(v.volumeId(), v.availabilityZone(), v.stateAsString(), v.volumeTypeAsString(),
                v.size() == null ? 0 : v.size(),
                v.attachments().stream()
                        .map(a -> new VolumeInfo.Attachment(a.instanceId(), a.device(), a.stateAsString()))
                        .toList());
    }

    private List<SpotRequestInfo> findSpotRequests(Filter... filters) {
        return call("DescribeSpotInstanceRequests", () -> client.describeSpotInstanceRequestsPaginator(r -> r
                .filters(filters)).spotInstanceRequests().stream().map(Ec2Gateway::spotRequestInfo).toList());
    }

    private static SpotRequestInfo spotRequestInfo(SpotInstanceRequest r) {
        Map<String, String> tags = new LinkedHashMap<>();
        r.tags().forEach(t -> tags.put(t.key(), t.value()));
        var spec = Optional.ofNullable(r.launchSpecification());
        return new SpotRequestInfo(r.spotInstanceRequestId(), r.typeAsString(), r.stateAsString(),
                Optional.ofNullable(r.status()).map(s -> s.code()),
                Optional.ofNullable(r.status()).map(s -> s.message()).filter(m -> !m.isBlank()),
                Optional.ofNullable(r.instanceId()).filter(s -> !s.isEmpty()),
                spec.map(s -> s.instanceTypeAsString()),
                Optional.ofNullable(r.launchedAvailabilityZone())
                        .or(() -> spec.map(s -> s.placement()).map(p -> p.availabilityZone())),
                Optional.ofNullable(tags.get("Name")),
                Optional.ofNullable(tags.get(SpotRequest.VOLUME_TAG)),
                Optional.ofNullable(r.createTime()));
    }

    private static TagSpecification tagging(ResourceType type, Map<String, String> tags) {
        return TagSpecification.builder().resourceType(type).tags(tags.entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList()).build();
    }

    /** A waiter bounded by time only, polling every few seconds. */
    private static java.util.function.Consumer<WaiterOverrideConfiguration.Builder> waiting(Duration timeout) {
        return o -> o.waitTimeout(timeout).maxAttempts(Integer.MAX_VALUE)
                .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(WAITER_DELAY));
    }

    private void await(String what, Duration timeout, Runnable waiter) {
        try {
            waiter.run();
        } catch (SdkClientException e) {
            String reason = e.getMessage() == null ? "" : e.getMessage();
            if (reason.contains("max wait time") || reason.contains("max attempts")) {
                throw new Failure("gave up waiting for " + what + " after " + timeout.toSeconds() + " s", e);
            }
            if (reason.contains("failure state")) {
                throw new Failure("stopped waiting for " + what + ": EC2 reports it failed", e);
            }
            throw AwsErrors.failure("waiting for " + what, e, endpoint);
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

    private static String code(Ec2Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static AwsCredentialsProvider provider(Credentials credentials) {
        if (credentials instanceof Credentials.FromFile f) {
            AwsCredentials keys = f.sessionToken().isPresent()
                    ? AwsSessionCredentials.create(f.accessKeyId(), f.secretAccessKey(), f.sessionToken().get())
                    : AwsBasicCredentials.create(f.accessKeyId(), f.secretAccessKey());
            return StaticCredentialsProvider.create(keys);
        }
        Credentials.DefaultChain chain = (Credentials.DefaultChain) credentials;
        DefaultCredentialsProvider.Builder builder = DefaultCredentialsProvider.builder();
        chain.profile().ifPresent(builder::profileName);
        return builder.build();
    }
}
