package io.github.ec2spotter.plan;

import static io.github.ec2spotter.plan.Requests.instance;
import static io.github.ec2spotter.plan.Requests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.model.InstanceInfo;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LaunchWaitTest {
    @Test
    void aRequestEc2DoesNotKnowYetIsWaitedFor() {
        LaunchWait.Progress p = LaunchWait.assess("sir-1", Optional.empty(), Optional.empty());

        assertInstanceOf(LaunchWait.Waiting.class, p);
        assertEquals("spot request sir-1: not visible in EC2 yet", p.line());
    }

    @Test
    void anOpenRequestBeingEvaluatedIsWaitedForAndItsCodeShown() {
        LaunchWait.Progress p = LaunchWait.assess("sir-1",
                Optional.of(request("sir-1", "open", "pending-evaluation", "Your request is being evaluated", null)),
                Optional.empty());

        assertInstanceOf(LaunchWait.Waiting.class, p);
        assertEquals("spot request sir-1: open (pending-evaluation): EC2 is evaluating the request", p.line());
    }

    @Test
    void priceTooLowEndsTheWaitExplainingWhatToChange() {
        LaunchWait.Progress p = LaunchWait.assess("sir-1", Optional.of(request("sir-1", "open", "price-too-low",
                "Your Spot request price of 0.01 is lower than the minimum required Spot request fulfillment price of 0.2.",
                null)), Optional.empty());

        LaunchWait.Failed failed = assertInstanceOf(LaunchWait.Failed.class, p);
        assertEquals("spot request sir-1 is open, status price-too-low: the maximum price (ec2spotter_bid_price) is below"
                + " the current spot price; raise it, remove it to cap at the on-demand price, or pick a cheaper zone"
                + " (ec2spotter prices) (EC2: Your Spot request price of 0.01 is lower than the minimum required Spot"
                + " request fulfillment price of 0.2.); the request stays open: ec2spotter stop cancels it",
                failed.reason());
    }

    @ParameterizedTest
    @CsvSource({
            "open, capacity-not-available, no spot capacity",
            "open, capacity-oversubscribed, taken by other requests",
            "open, constraint-not-fulfillable, placement constraint",
            "closed, bad-parameters, EC2 rejected a parameter",
            "open, system-error, internal error",
            "cancelled, canceled-before-fulfillment, cancelled before an instance started",
            "closed, schedule-expired, validity period ended",
            "failed, bad-parameters, EC2 rejected a parameter",
            "disabled, instance-stopped-by-user, stopped by a user"})
    void failureStatusesEndTheWaitWithTheirMeaning(String state, String code, String meaning) {
        LaunchWait.Progress p = LaunchWait.assess("sir-9", Optional.of(request("sir-9", state, code, null, null)),
                Optional.empty());

        LaunchWait.Failed failed = assertInstanceOf(LaunchWait.Failed.class, p);
        assertTrue(failed.reason().startsWith("spot request sir-9 is " + state + ", status " + code + ": "), failed.reason());
        assertTrue(failed.reason().contains(meaning), failed.reason());
    }

    @Test
    void aFulfilledRequestWaitsForItsInstanceToRun() {
        var active = Optional.of(request("sir-1", "active", "fulfilled", null, "i-1"));

        assertEquals("spot request sir-1: active (fulfilled), instance i-1 not visible yet",
                assertInstanceOf(LaunchWait.Waiting.class, LaunchWait.assess("sir-1", active, Optional.empty())).line());
        assertEquals("spot request sir-1: active (fulfilled), instance i-1: pending",
                assertInstanceOf(LaunchWait.Waiting.class,
                        LaunchWait.assess("sir-1", active, Optional.of(instance("i-1", "pending")))).line());
        LaunchWait.Ready ready = assertInstanceOf(LaunchWait.Ready.class,
                LaunchWait.assess("sir-1", active, Optional.of(instance("i-1", "running"))));
        assertEquals("i-1", ready.instance().id());
    }

    @Test
    void anInterruptionNoticeOnTheRequestEndsTheWait() {
        var marked = Optional.of(request("sir-1", "active", "marked-for-termination", null, "i-1"));

        LaunchWait.Failed failed = assertInstanceOf(LaunchWait.Failed.class,
                LaunchWait.assess("sir-1", marked, Optional.of(instance("i-1", "running"))));
        assertTrue(failed.reason().contains("about to terminate the instance"), failed.reason());
    }

    @Test
    void sshLinePrefersTheDnsNameAndNeedsAPublicAddress() {
        assertEquals(Optional.of("ssh ubuntu@ec2-203-0-113-7.compute-1.amazonaws.com"),
                LaunchWait.sshLine(instance("i-1", "running"), "ubuntu"));
        InstanceInfo ipOnly = new InstanceInfo("i-2", "running", Optional.of("198.51.100.1"), Optional.empty(),
                Optional.empty(), Optional.empty());
        assertEquals(Optional.of("ssh admin@198.51.100.1"), LaunchWait.sshLine(ipOnly, "admin"));
        InstanceInfo privateOnly = new InstanceInfo("i-3", "running", Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("10.0.0.3"));
        assertEquals(Optional.empty(), LaunchWait.sshLine(privateOnly, "ubuntu"));
    }
}
