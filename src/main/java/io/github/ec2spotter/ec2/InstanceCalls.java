package io.github.ec2spotter.ec2;

import io.github.ec2spotter.model.ConsoleOutput;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.GetConsoleOutputResponse;

/** What an instance tells about its own boot: its tags and its console output. */
final class InstanceCalls {
    private final Ec2Client client;
    private final AwsEndpoint endpoint;

    InstanceCalls(Ec2Client client, AwsEndpoint endpoint) {
        this.client = client;
        this.endpoint = endpoint;
    }

    /** A filter, not InstanceIds, so that an instance EC2 has forgotten is an empty map, not an error. */
    Map<String, String> tags(String instanceId) {
        Map<String, String> tags = new LinkedHashMap<>();
        try {
            client.describeInstancesPaginator(r -> r.filters(Filter.builder().name("instance-id").values(instanceId)
                            .build())).reservations().stream()
                    .flatMap(r -> r.instances().stream())
                    .flatMap(i -> i.tags().stream())
                    .forEach(t -> tags.put(t.key(), t.value()));
        } catch (SdkException e) {
            throw AwsErrors.failure("DescribeInstances", e, endpoint);
        }
        return tags;
    }

    /**
     * Not {@code Latest}: only Nitro instances have it, and the buffered copy holds the lines of
     * the boots before the last one too, which is where a pivot shows.
     */
    ConsoleOutput consoleOutput(String instanceId) {
        GetConsoleOutputResponse answer;
        try {
            answer = client.getConsoleOutput(r -> r.instanceId(instanceId));
        } catch (SdkException e) {
            throw AwsErrors.failure("GetConsoleOutput", e, endpoint);
        }
        return new ConsoleOutput(instanceId, Optional.ofNullable(answer.timestamp()), decode(answer.output()));
    }

    /** EC2 sends the console base64-encoded; bytes that are not UTF-8 become U+FFFD, never an error. */
    private static String decode(String base64) {
        if (base64 == null || base64.isBlank()) {
            return "";
        }
        try {
            return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
