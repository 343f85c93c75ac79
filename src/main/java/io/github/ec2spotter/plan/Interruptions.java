package io.github.ec2spotter.plan;

import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotRequestInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a spot request's status says about interruptions. EC2 keeps only the request's latest
 * status: the last interruption is known while the status code still tells of it (a persistent
 * request that has its next instance says {@code fulfilled} again), with the time EC2 set it. A
 * notice is pending while the code is {@code marked-for-termination} or {@code marked-for-stop}:
 * EC2 has given the two-minute warning and the instance still runs.
 */
public final class Interruptions {
    /** The instance states in which a notice means something is about to happen to it. */
    private static final Set<String> UP = Set.of("pending", "running");
    /** The request states in which EC2 may still start or interrupt an instance for it. */
    private static final Set<String> LIVE = Set.of("open", "active", "disabled");

    /** A status code, its time, and what it means for the user. */
    public record Event(String code, Optional<Instant> time, String meaning) {
        public String sentence() {
            return code + time.map(t -> " at " + t).orElse("") + ": " + meaning;
        }

        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", code);
            m.put("time", time);
            m.put("meaning", meaning);
            return m;
        }
    }

    private Interruptions() {
    }

    /**
     * The interruption the status tells of: {@code instance-terminated-*} or {@code instance-stopped-*}
     * codes, except those a user or the request's own schedule caused.
     */
    public static Optional<Event> last(SpotRequestInfo request) {
        return request.statusCode()
                .filter(c -> c.startsWith("instance-terminated-") || c.startsWith("instance-stopped-"))
                .filter(c -> !c.endsWith("-by-user") && !c.endsWith("-by-schedule"))
                .map(c -> event(request, c));
    }

    /** The notice EC2 has given for the instance when it is still up: {@code marked-for-*}. */
    public static Optional<Event> pendingNotice(SpotRequestInfo request, Optional<String> instanceState) {
        return request.statusCode()
                .filter(c -> c.startsWith("marked-for-"))
                .filter(c -> instanceState.filter(UP::contains).isPresent())
                .map(c -> event(request, c));
    }

    /**
     * What status says of a request: its last interruption, always for a live request (none is an
     * answer too), for an ended one only when there was one; and for a running instance whether a
     * notice is pending.
     */
    public static List<String> sentences(SpotRequestInfo request, Optional<InstanceInfo> instance) {
        List<String> lines = new ArrayList<>();
        Optional<Event> last = last(request);
        if (last.isPresent()) {
            lines.add(request.id() + ": last interruption: " + last.get().sentence());
        } else if (LIVE.contains(request.state())) {
            lines.add(request.id() + ": last interruption: none in its status (EC2 keeps only the latest status)");
        }
        instance.filter(i -> i.state().equals("running")).ifPresent(i -> lines.add(request.id()
                + ": interruption notice for " + i.id() + ": "
                + pendingNotice(request, Optional.of(i.state())).map(e -> "PENDING, " + e.sentence())
                .orElse("none pending")));
        return lines;
    }

    private static Event event(SpotRequestInfo request, String code) {
        return new Event(code, request.statusUpdated(), SpotStatus.explain(request).meaning());
    }
}
