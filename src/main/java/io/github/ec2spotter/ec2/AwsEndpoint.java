package io.github.ec2spotter.ec2;

import io.github.ec2spotter.config.InputException;
import io.github.ec2spotter.text.Printable;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * Where EC2 (and IAM) calls go. The AWS-standard variables {@code AWS_ENDPOINT_URL_EC2} (or
 * {@code AWS_ENDPOINT_URL_IAM}) and {@code AWS_ENDPOINT_URL} redirect them (to an emulator, a VPC
 * endpoint); ec2spotter reads them itself so that errors can name the endpoint that failed.
 */
public record AwsEndpoint(URI uri, boolean overridden) {

    public static AwsEndpoint forRegion(String region, Map<String, String> env) {
        return custom("AWS_ENDPOINT_URL_EC2", env).orElseGet(() -> new AwsEndpoint(URI.create(defaultUrl(region)), false));
    }

    /**
     * Where IAM calls go: {@code AWS_ENDPOINT_URL_IAM} or {@code AWS_ENDPOINT_URL} when set, else
     * {@code globalUrl}, IAM's one endpoint in the partition (IAM is a global service).
     */
    public static AwsEndpoint forIam(URI globalUrl, Map<String, String> env) {
        return custom("AWS_ENDPOINT_URL_IAM", env).orElseGet(() -> new AwsEndpoint(globalUrl, false));
    }

    /** The endpoint {@code variable} or {@code AWS_ENDPOINT_URL} names, checked; empty when neither is set. */
    private static Optional<AwsEndpoint> custom(String variable, Map<String, String> env) {
        Optional<String> custom = Optional.ofNullable(env.get(variable))
                .or(() -> Optional.ofNullable(env.get("AWS_ENDPOINT_URL")))
                .map(String::strip)
                .filter(s -> !s.isEmpty());
        if (custom.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(custom.get());
        } catch (IllegalArgumentException e) {
            throw new InputException(variable + " / AWS_ENDPOINT_URL is not a URL: " + Printable.of(custom.get()));
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new InputException(variable + " / AWS_ENDPOINT_URL must be an http:// or https:// URL, not "
                    + Printable.of(custom.get()));
        }
        return Optional.of(new AwsEndpoint(uri, true));
    }

    /**
     * EC2's public endpoint for a region: under the domain of the region's partition
     * (amazonaws.com, amazonaws.com.cn, c2s.ic.gov, ...), from the SDK's partition metadata, offline.
     * The boot script builds the same name from the domain IMDS gives it.
     */
    public static String defaultUrl(String region) {
        return "https://ec2." + region + "." + PartitionMetadata.of(Region.of(region)).dnsSuffix();
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
