package io.github.ec2spotter.plan;

import static io.github.ec2spotter.plan.Requests.instance;
import static io.github.ec2spotter.plan.Requests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.model.VolumeInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StopPlanTest {
    static VolumeInfo volume(String state, String attachedTo) {
        return new VolumeInfo("vol-1", "us-east-1d", state, "gp3", 20, attachedTo == null ? List.of()
                : List.of(new VolumeInfo.Attachment(attachedTo, "/dev/sdf", "attached")));
    }

    @Test
    void liveRequestsAreCancelledAndTheirLiveInstancesTerminated() {
        List<SpotRequestInfo> requests = List.of(
                request("sir-a", "active", "fulfilled", null, "i-a"),
                request("sir-b", "cancelled", "request-canceled-and-instance-running", null, "i-b"),
                request("sir-c", "closed", "instance-terminated-by-user", null, "i-c"),
                request("sir-d", "disabled", "instance-stopped-by-user", null, "i-d"));
        StopPlan plan = StopPlan.of(requests, Map.of("i-a", instance("i-a", "running"), "i-b", instance("i-b", "running"),
                "i-c", instance("i-c", "terminated"), "i-d", instance("i-d", "stopped")),
                Optional.of(volume("in-use", "i-a")));

        assertEquals(List.of("sir-a", "sir-d"), plan.cancel().stream().map(SpotRequestInfo::id).toList());
        assertEquals(List.of("i-a", "i-b", "i-d"), plan.terminate().stream().map(i -> i.id()).toList());
        assertTrue(plan.waitForVolume());
        assertEquals(List.of("cancel spot request sir-a (persistent, active)",
                "cancel spot request sir-d (persistent, disabled)",
                "terminate instance i-a (running, 203.0.113.7)", "terminate instance i-b (running, 203.0.113.7)",
                "terminate instance i-d (stopped, 203.0.113.7)"), plan.summary());
    }

    @Test
    void aSecondRunFindsNothingToEnd() {
        StopPlan plan = StopPlan.of(List.of(request("sir-a", "cancelled", "instance-terminated-by-user", null, "i-a")),
                Map.of("i-a", instance("i-a", "terminated")), Optional.of(volume("available", null)));

        assertTrue(plan.nothingToEnd());
        assertFalse(plan.waitForVolume());
        assertEquals(Optional.empty(), plan.foreignAttachment());
    }

    @Test
    void aVolumeAttachedToAnInstanceNoRequestStartedIsLeftAlone() {
        StopPlan plan = StopPlan.of(List.of(), Map.of(), Optional.of(volume("in-use", "i-mine")));

        assertTrue(plan.nothingToEnd());
        assertFalse(plan.waitForVolume());
        assertEquals(Optional.of("i-mine"), plan.foreignAttachment());
    }

    @Test
    void aVolumeStillDetachingFromAnEndedInstanceIsWaitedFor() {
        StopPlan plan = StopPlan.of(List.of(request("sir-a", "cancelled", null, null, "i-a")),
                Map.of("i-a", instance("i-a", "shutting-down")), Optional.of(volume("in-use", "i-a")));

        assertTrue(plan.nothingToEnd());
        assertTrue(plan.waitForVolume());
    }
}
