package io.github.ec2spotter.ec2;

import java.util.List;
import software.amazon.awssdk.regions.Region;

/**
 * The regions this build's SDK knows, offline: a zone in a region that does not exist would
 * otherwise reach the network as a DNS failure, or an emulator's 500.
 */
public final class AwsRegions {
    private AwsRegions() {
    }

    /** Every region id, global pseudo-regions ({@code aws-global} and the like) left out. */
    public static List<String> known() {
        return Region.regions().stream().filter(r -> !r.isGlobalRegion()).map(Region::id).sorted().toList();
    }
}
