package io.github.ec2spotter.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** EC2's public endpoint in every partition, named offline from the SDK's partition metadata. */
class AwsEndpointTest {
    @Test
    void theEndpointIsUnderTheDomainOfTheRegionsPartition() {
        Map<String, String> expected = Map.of(
                "us-east-1", "https://ec2.us-east-1.amazonaws.com",
                "eu-central-2", "https://ec2.eu-central-2.amazonaws.com",
                "cn-north-1", "https://ec2.cn-north-1.amazonaws.com.cn",
                "cn-northwest-1", "https://ec2.cn-northwest-1.amazonaws.com.cn",
                "us-gov-west-1", "https://ec2.us-gov-west-1.amazonaws.com",
                "us-iso-east-1", "https://ec2.us-iso-east-1.c2s.ic.gov",
                "us-isob-east-1", "https://ec2.us-isob-east-1.sc2s.sgov.gov");
        expected.forEach((region, url) -> assertEquals(url, AwsEndpoint.defaultUrl(region), region));
    }

    @Test
    void theEnvironmentStillOverridesIt() {
        assertEquals("http://127.0.0.1:4566",
                AwsEndpoint.forRegion("cn-north-1", Map.of("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:4566")).toString());
        assertEquals("https://ec2.cn-north-1.amazonaws.com.cn", AwsEndpoint.forRegion("cn-north-1", Map.of()).toString());
    }
}
