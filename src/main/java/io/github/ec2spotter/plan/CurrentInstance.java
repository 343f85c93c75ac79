package io.github.ec2spotter.plan;

import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotRequestInfo;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The instance the user means by "the instance" of a volume: the one of the newest request that
 * still has one up or stopped. Older requests' instances are terminated (stop ends them), and a
 * persistent request points to its latest instance only.
 */
public final class CurrentInstance {
    private static final Set<String> GONE = Set.of("shutting-down", "terminated");

    /** Requests from the oldest to the newest (by creation time, then id): the order the user's requests came in. */
    public static final Comparator<SpotRequestInfo> OLDEST_FIRST =
            Comparator.comparing((SpotRequestInfo r) -> r.created().orElse(Instant.EPOCH))
                    .thenComparing(SpotRequestInfo::id);

    private CurrentInstance() {
    }

    public static Optional<InstanceInfo> of(List<SpotRequestInfo> requests, Map<String, InstanceInfo> instances) {
        return requests.stream()
                .sorted(OLDEST_FIRST.reversed())
                .flatMap(r -> r.instanceId().map(instances::get).stream())
                .filter(i -> !GONE.contains(i.state()))
                .findFirst();
    }
}
