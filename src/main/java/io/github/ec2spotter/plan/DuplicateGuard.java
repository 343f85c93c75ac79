package io.github.ec2spotter.plan;

import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.model.States;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Keeps two spot requests from fighting over one volume: each instance would try to attach it,
 * and a persistent request keeps starting (and billing) instances that cannot get it.
 */
public final class DuplicateGuard {
    private DuplicateGuard() {
    }

    /**
     * The message refusing a launch, empty when no live request uses the volume.
     *
     * @param stopCommand the stop command line to paste: the same conf, credentials file and profile
     */
    public static Optional<String> refusal(String volumeId, List<SpotRequestInfo> requestsForVolume,
                                           String stopCommand) {
        return live(requestsForVolume).map(which -> "volume " + volumeId + " already has an ec2spotter spot request: "
                + which + "; a second one would fight over the volume. Stop it first, or pass --force to request"
                + " another anyway; to stop it:\n    " + stopCommand);
    }

    /** The warning for {@code launch --force} past a live request, empty when there is none. */
    public static Optional<String> forcedPast(String volumeId, List<SpotRequestInfo> requestsForVolume) {
        return live(requestsForVolume).map(which -> "--force: volume " + volumeId + " already has a live ec2spotter"
                + " spot request: " + which + "; the two will fight over the volume (each instance tries to attach it,"
                + " and a persistent request keeps starting instances that cannot get it)");
    }

    /** The live requests, each with its state and instance, empty when there is none. */
    private static Optional<String> live(List<SpotRequestInfo> requestsForVolume) {
        List<SpotRequestInfo> live = requestsForVolume.stream().filter(r -> States.REQUEST_LIVE.contains(r.state())).toList();
        if (live.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(live.stream()
                .map(r -> r.id() + " (" + r.state() + r.instanceId().map(i -> ", instance " + i).orElse("") + ")")
                .collect(Collectors.joining(", ")));
    }
}
