package io.github.ec2spotter.ops;


import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.plan.LaunchWait;
import io.github.ec2spotter.text.Printable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code launch --wait}: polls the request, then its instance, until the instance runs, the
 * request gets stuck or ends, or the time is up. It polls rather than using the SDK's
 * spot-request waiter because the user sees each state and status code as it comes, and because
 * the codes that end the wait are ec2spotter's call ({@link LaunchWait}).
 */
final class InstanceWait {
    /** How often EC2 is asked again; its spot request states change on the scale of seconds. */
    static final Duration POLL = Duration.ofSeconds(5);

    private InstanceWait() {
    }

    static InstanceInfo until(Progress out, Ec2 ec2, String requestId, Duration timeout) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        while (true) {
            Optional<SpotRequestInfo> request = ec2.findSpotRequest(requestId);
            Optional<InstanceInfo> instance = request.flatMap(SpotRequestInfo::instanceId)
                    .flatMap(id -> Optional.ofNullable(ec2.findInstances(List.of(id)).get(id)));
            LaunchWait.Progress state = LaunchWait.assess(requestId, request, instance);
            long elapsed = Duration.between(start, Instant.now()).toSeconds();
            out.progress("[" + elapsed + " s] " + Printable.of(state.line()));
            if (state instanceof LaunchWait.Ready ready) {
                out.endProgress();
                return ready.instance();
            }
            if (state instanceof LaunchWait.Failed failed) {
                out.endProgress();
                throw new Failure(Printable.of(failed.reason()));
            }
            if (!Instant.now().plus(POLL).isBefore(deadline)) {
                out.endProgress();
                throw new Failure("gave up waiting after " + timeout.toSeconds() + " s; last seen: "
                        + Printable.of(state.line())
                        + ". The request stays; ec2spotter status shows it, ec2spotter stop cancels it");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure("interrupted while waiting for spot request " + requestId);
            }
        }
    }
}
