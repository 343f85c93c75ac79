package io.github.ec2spotter.plan;

import io.github.ec2spotter.model.SpotRequestInfo;
import java.util.Map;
import java.util.Set;

/**
 * What a spot request's state and status code mean for the user, and whether waiting longer can
 * help. EC2's status codes are documented under "Spot request status"; the ones that leave a
 * request {@code open} without hope of a quick fulfilment (price, capacity, constraints) end a
 * wait, because the user has to change something.
 */
public final class SpotStatus {
    /** What a waiting {@code launch --wait} should do about a request in this status. */
    public enum Outcome {
        /** EC2 is still working on it. */
        WAITING,
        /** The request has its instance. */
        FULFILLED,
        /** The request is open but will not be fulfilled until the user (or the market) changes something. */
        STUCK,
        /** The request is over: closed, cancelled, failed or disabled. */
        ENDED
    }

    public record Explanation(Outcome outcome, String meaning) {
    }

    private static final Set<String> STUCK_CODES = Set.of("price-too-low", "capacity-not-available",
            "capacity-oversubscribed", "constraint-not-fulfillable", "launch-group-constraint", "az-group-constraint",
            "placement-group-constraint", "bad-parameters", "system-error", "marked-for-stop",
            "marked-for-termination");

    private static final Map<String, String> MEANINGS = Map.ofEntries(
            Map.entry("pending-evaluation", "EC2 is evaluating the request"),
            Map.entry("pending-fulfillment", "EC2 is starting the instance"),
            Map.entry("not-scheduled-yet", "the request's start time has not come yet"),
            Map.entry("fulfilled", "the instance is running"),
            Map.entry("price-too-low", "the maximum price (ec2spotter_bid_price) is below the current spot price;"
                    + " raise it, remove it to cap at the on-demand price, or pick a cheaper zone (ec2spotter prices)"),
            Map.entry("capacity-not-available", "EC2 has no spot capacity for this instance type in this zone now;"
                    + " try another zone (ec2spotter prices) or instance type"),
            Map.entry("capacity-oversubscribed", "the spot capacity for this type and zone is taken by other"
                    + " requests; try another zone or instance type"),
            Map.entry("constraint-not-fulfillable", "a placement constraint (zone, group) cannot be met"),
            Map.entry("launch-group-constraint", "the launch group cannot be started together"),
            Map.entry("az-group-constraint", "the availability-zone group cannot be started together"),
            Map.entry("placement-group-constraint", "the placement group has no room for the instance"),
            Map.entry("bad-parameters", "EC2 rejected a parameter of the request (AMI, subnet, security group,"
                    + " key pair, instance profile or instance type); the status message names it"),
            Map.entry("system-error", "EC2 had an internal error with this request; cancel it (ec2spotter stop)"
                    + " and launch again"),
            Map.entry("schedule-expired", "the request's validity period ended before it was fulfilled"),
            Map.entry("canceled-before-fulfillment", "the request was cancelled before an instance started"),
            Map.entry("request-canceled-and-instance-running", "the request was cancelled but its instance still"
                    + " runs; ec2spotter stop terminates it"),
            Map.entry("marked-for-stop", "EC2 is about to stop the instance (a spot interruption)"),
            Map.entry("marked-for-termination", "EC2 is about to terminate the instance (a spot interruption)"),
            Map.entry("instance-terminated-by-price", "EC2 interrupted the instance: the spot price rose above the"
                    + " maximum price; a persistent request starts a new one when the price allows"),
            Map.entry("instance-terminated-no-capacity", "EC2 interrupted the instance for lack of capacity;"
                    + " a persistent request starts a new one when capacity returns"),
            Map.entry("instance-terminated-capacity-oversubscribed", "EC2 interrupted the instance to make room;"
                    + " a persistent request starts a new one when capacity returns"),
            Map.entry("instance-terminated-launch-group-constraint", "EC2 interrupted the instance with its launch"
                    + " group"),
            Map.entry("instance-terminated-by-schedule", "the instance ended with the request's validity period"),
            Map.entry("instance-terminated-by-service", "EC2 terminated the instance"),
            Map.entry("instance-terminated-by-user", "the instance was terminated by a user; a persistent request"
                    + " starts a new one: use ec2spotter stop to end both"),
            Map.entry("spot-instance-terminated-by-user", "the instance was terminated by a user; a persistent"
                    + " request starts a new one: use ec2spotter stop to end both"),
            Map.entry("instance-stopped-by-price", "EC2 stopped the instance: the spot price rose above the maximum"
                    + " price; it starts again when the price allows"),
            Map.entry("instance-stopped-no-capacity", "EC2 stopped the instance for lack of capacity; it starts"
                    + " again when capacity returns"),
            Map.entry("instance-stopped-by-user", "the instance was stopped by a user; start it again, or end"
                    + " request and instance with ec2spotter stop"));

    private SpotStatus() {
    }

    public static Explanation explain(SpotRequestInfo request) {
        String code = request.statusCode().orElse("");
        String meaning = MEANINGS.getOrDefault(code, code.isEmpty() ? "no status code yet" : "EC2 status " + code);
        return new Explanation(outcome(request.state(), code), meaning);
    }

    private static Outcome outcome(String state, String code) {
        switch (state) {
            case "active":
                return STUCK_CODES.contains(code) ? Outcome.STUCK : Outcome.FULFILLED;
            case "open":
                return STUCK_CODES.contains(code) ? Outcome.STUCK : Outcome.WAITING;
            case "closed", "cancelled", "failed", "disabled":
                return Outcome.ENDED;
            default:
                return Outcome.WAITING;
        }
    }
}
