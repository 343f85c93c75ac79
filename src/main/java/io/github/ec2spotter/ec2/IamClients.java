package io.github.ec2spotter.ec2;

import io.github.ec2spotter.config.Credentials;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.endpoints.AwsEndpointAttribute;
import software.amazon.awssdk.awscore.endpoints.authscheme.EndpointAuthScheme;
import software.amazon.awssdk.awscore.endpoints.authscheme.SigV4AuthScheme;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.endpoints.IamEndpointParams;
import software.amazon.awssdk.services.iam.endpoints.IamEndpointProvider;

/**
 * Builds the SDK's IAM client as {@link Ec2Clients} builds EC2's: the same credentials, timeouts,
 * HTTP client and {@code -v} request log. Only {@code setup} calls it, so only that command loads
 * the SDK's IAM classes.
 */
public final class IamClients {
    private static final Logger log = LoggerFactory.getLogger(IamClients.class);

    private IamClients() {
    }

    /** IAM for the partition of {@code region} (the conf's launch region). */
    public static Iam connect(Credentials credentials, String region, Map<String, String> env) {
        String partition = PartitionMetadata.of(Region.of(region)).id();
        // IAM is global: the SDK's rules give its one endpoint in a partition, and the region it
        // signs with there, for the partition's pseudo-region (aws-global). The client is given
        // both explicitly, as the EC2 client is: one whose endpoint is overridden signs with the
        // region it is built with, and IAM accepts only that one.
        Endpoint global = IamEndpointProvider.defaultProvider()
                .resolveEndpoint(IamEndpointParams.builder().region(Region.of(partition + "-global")).build()).join();
        AwsEndpoint endpoint = AwsEndpoint.forIam(global.endpointUrl().toUri(), env);
        Region signing = Region.of(signingRegion(global).orElse(region));
        AwsCredentialsProvider provider = Ec2Clients.provider(credentials);
        IamClient client = IamClient.builder()
                .region(signing)
                .endpointOverride(endpoint.uri())
                .credentialsProvider(provider)
                .httpClient(HttpClients.forEndpoint(endpoint))
                .overrideConfiguration(o -> o.apiCallTimeout(Ec2Clients.CALL_TIMEOUT)
                        .addExecutionInterceptor(new RequestLog("IAM", endpoint)))
                .build();
        log.debug("IAM endpoint {} (partition {}, signing region {}), {}", endpoint, partition, signing, credentials);
        return new IamGateway(client, partition, endpoint);
    }

    private static Optional<String> signingRegion(Endpoint endpoint) {
        List<EndpointAuthScheme> schemes = endpoint.attribute(AwsEndpointAttribute.AUTH_SCHEMES);
        return schemes == null ? Optional.empty() : schemes.stream()
                .filter(SigV4AuthScheme.class::isInstance)
                .map(s -> ((SigV4AuthScheme) s).signingRegion())
                .filter(r -> r != null && !r.isEmpty())
                .findFirst();
    }
}
