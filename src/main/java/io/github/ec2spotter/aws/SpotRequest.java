package io.github.ec2spotter.aws;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one {@code RequestSpotInstances} call carries, in ec2spotter's terms. Built by the
 * launch plan, turned into the SDK request by {@link Ec2Gateway}.
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

    /** Tag on the spot request naming the volume it serves; later commands find their requests by it. */
    public static final String VOLUME_TAG = "ec2spotter:volume";
}
