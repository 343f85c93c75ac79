package io.github.ec2spotter.plan;

import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotRequestInfo;
import java.util.Optional;

/**
 * Where a just-made spot request stands, seen by {@code launch --wait}: still on its way, ready
 * (instance running), or stopped for a reason the user has to act on. Pure: the caller polls EC2.
 */
public final class LaunchWait {
    private LaunchWait() {
    }

    public sealed interface Progress {
        /** One line saying where things stand, for the progress display. */
        String line();
    }

    public record Waiting(String line) implements Progress {
    }

    public record Ready(String line, InstanceInfo instance) implements Progress {
    }

    public record Failed(String line, String reason) implements Progress {
    }

    /**
     * @param requestId the request launch made
     * @param request   what EC2 says about it, empty while it does not know it yet
     * @param instance  the request's instance, empty when there is none or EC2 does not know it yet
     */
    public static Progress assess(String requestId, Optional<SpotRequestInfo> request, Optional<InstanceInfo> instance) {
        if (request.isEmpty()) {
            return new Waiting("spot request " + requestId + ": not visible in EC2 yet");
        }
        SpotRequestInfo r = request.get();
        SpotStatus.Explanation why = SpotStatus.explain(r);
        String requestLine = "spot request " + r.id() + ": " + r.state() + r.statusCode().map(c -> " (" + c + ")").orElse("");
        switch (why.outcome()) {
            case STUCK, ENDED -> {
                return new Failed(requestLine, "spot request " + r.id() + " is " + r.state()
                        + r.statusCode().map(c -> ", status " + c).orElse("") + ": " + why.meaning()
                        + r.statusMessage().map(m -> " (EC2: " + m + ")").orElse("")
                        + ("open".equals(r.state()) ? "; the request stays open: ec2spotter stop cancels it" : ""));
            }
            case FULFILLED -> {
                if (r.instanceId().isEmpty()) {
                    return new Waiting(requestLine + ", no instance id yet");
                }
                if (instance.isEmpty()) {
                    return new Waiting(requestLine + ", instance " + r.instanceId().get() + " not visible yet");
                }
                InstanceInfo i = instance.get();
                String line = requestLine + ", instance " + i.id() + ": " + i.state();
                return "running".equals(i.state()) ? new Ready(line, i) : new Waiting(line);
            }
            default -> {
                return new Waiting(requestLine + ": " + why.meaning());
            }
        }
    }

    /** The ssh command for a ready instance; the login user depends on the volume's system. */
    public static Optional<String> sshLine(InstanceInfo instance, String user) {
        return instance.publicDns().or(instance::publicIp).map(host -> "ssh " + user + "@" + host);
    }
}
