package io.github.ec2spotter.plan;

import static io.github.ec2spotter.plan.Requests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SpotStatusTest {
    @Test
    void anUnknownCodeIsNamedAndItsStateDecides() {
        SpotStatus.Explanation open = SpotStatus.explain(request("sir-1", "open", "some-new-code", null, null));
        assertEquals(SpotStatus.Outcome.WAITING, open.outcome());
        assertEquals("EC2 status some-new-code", open.meaning());

        SpotStatus.Explanation closed = SpotStatus.explain(request("sir-1", "closed", "some-new-code", null, null));
        assertEquals(SpotStatus.Outcome.ENDED, closed.outcome());
    }

    @Test
    void aRequestWithoutACodeYetIsWaitedFor() {
        SpotStatus.Explanation e = SpotStatus.explain(request("sir-1", "open", null, null, null));
        assertEquals(SpotStatus.Outcome.WAITING, e.outcome());
        assertEquals("no status code yet", e.meaning());
    }

    @Test
    void userTerminationOfAPersistentRequestPointsAtStop() {
        SpotStatus.Explanation e = SpotStatus.explain(request("sir-1", "open", "instance-terminated-by-user", null, null));
        assertEquals(SpotStatus.Outcome.WAITING, e.outcome());
        assertEquals("the instance was terminated by a user; a persistent request starts a new one: use ec2spotter stop"
                + " to end both", e.meaning());
    }
}
