package io.github.ec2spotter.model;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one {@code RequestSpotInstances} call carries, in ec2spotter's terms. Built by the
 * launch plan, turned into the SDK request by the EC2 gateway.
 */
public record SpotRequest(
        String imageId,
        String instanceType,
        String zone,
        Optional<String> keyName,
        Optional<String> subnet,
        List<String> securityGroups,
        Optional<String> iamInstanceProfile,
        String rootDeviceName,
        int rootSizeGib,
        Optional<BigDecimal> maxPrice,
        String requestType,
        String interruptionBehavior,
        byte[] userData,
        Map<String, String> tags) {
}
