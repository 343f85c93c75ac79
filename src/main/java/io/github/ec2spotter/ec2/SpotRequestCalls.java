package io.github.ec2spotter.ec2;

import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.SpotRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;

/** RequestSpotInstances, for real and as a dry run: the gateway's calls that need more than one step. */
final class SpotRequestCalls {
    /** The look-up after an unanswered spot request: short, because the endpoint just failed once. */
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(15);

    private final Ec2Client client;
    private final String region;
    private final AwsEndpoint endpoint;

    SpotRequestCalls(Ec2Client client, String region, AwsEndpoint endpoint) {
        this.client = client;
        this.region = region;
        this.endpoint = endpoint;
    }

    /**
     * Sends the spot request and returns its id. The call carries a client token, so the SDK's
     * retries of it are one request to EC2, not several. When it fails without a definite refusal from EC2 (a 5xx, a lost or unreadable
     * answer), EC2 may have created the request all the same, so the failure says what exists.
     */
    String request(SpotRequest spot) {
        String clientToken = UUID.randomUUID().toString();
        try {
            return client.requestSpotInstances(Ec2Mapping.toSdk(spot, false).toBuilder().clientToken(clientToken).build())
                    .spotInstanceRequests().get(0).spotInstanceRequestId();
        } catch (SdkException e) {
            if (e instanceof AwsServiceException refused && refused.statusCode() >= 400 && refused.statusCode() < 500) {
                throw AwsErrors.failure("RequestSpotInstances", e, endpoint);
            }
            throw new Failure(AwsErrors.describe("RequestSpotInstances", e, endpoint) + ". "
                    + AwsErrors.leftBehind(region, spot.tags(), liveRequestsTagged(spot.tags())), e);
        }
    }

    /** The open or active requests with these tags; empty when looking fails too. */
    private Optional<List<AwsErrors.Found>> liveRequestsTagged(Map<String, String> tags) {
        List<Filter> filters = new ArrayList<>();
        tags.forEach((k, v) -> filters.add(Ec2Gateway.filter("tag:" + k, v)));
        filters.add(Filter.builder().name("state").values("open", "active").build());
        try {
            return Optional.of(client.describeSpotInstanceRequests(r -> r.filters(filters)
                            .overrideConfiguration(o -> o.apiCallTimeout(LOOKUP_TIMEOUT))).spotInstanceRequests().stream()
                    .map(r -> new AwsErrors.Found(r.spotInstanceRequestId(), r.stateAsString(), r.createTime()))
                    .toList());
        } catch (SdkException e) {
            return Optional.empty();
        }
    }

    void check(SpotRequest spot) {
        try {
            client.requestSpotInstances(Ec2Mapping.toSdk(spot, true));
        } catch (Ec2Exception e) {
            if ("DryRunOperation".equals(Ec2Gateway.code(e))) {
                return;
            }
            throw AwsErrors.failure("RequestSpotInstances", e, endpoint);
        } catch (SdkException e) {
            throw AwsErrors.failure("RequestSpotInstances", e, endpoint);
        }
        throw new Failure("EC2 at " + endpoint + " accepted a DryRun request as a real one; check the endpoint");
    }
}
