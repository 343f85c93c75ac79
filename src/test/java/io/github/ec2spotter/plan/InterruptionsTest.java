package io.github.ec2spotter.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.model.SpotRequestInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The last interruption and a pending notice, from the request's status as EC2 reports it. */
class InterruptionsTest {
    private static final Instant AT = Instant.parse("2026-12-02T09:58:00Z");

    private static SpotRequestInfo request(String state, String code) {
        SpotRequestInfo r = Requests.request("sir-1", state, code, null, "i-1");
        return new SpotRequestInfo(r.id(), r.type(), r.state(), r.statusCode(), r.statusMessage(), r.instanceId(),
                r.instanceType(), r.zone(), r.name(), r.volumeId(), r.created(), Optional.of(AT));
    }

    @Test
    void anInterruptionByEc2IsTheLastOneWithItsTime() {
        for (String code : List.of("instance-terminated-by-price", "instance-terminated-no-capacity",
                "instance-stopped-by-price", "instance-stopped-no-capacity", "instance-terminated-by-experiment")) {
            Interruptions.Event e = Interruptions.last(request("open", code)).orElseThrow(() -> new AssertionError(code));
            assertEquals(code, e.code());
            assertEquals(Optional.of(AT), e.time());
        }
        assertTrue(Interruptions.last(request("open", "instance-terminated-by-price")).orElseThrow().sentence()
                .startsWith("instance-terminated-by-price at 2026-12-02T09:58:00Z: EC2 interrupted the instance"));
    }

    @Test
    void whatTheUserOrTheScheduleDidIsNoInterruption() {
        for (String code : List.of("fulfilled", "instance-terminated-by-user", "instance-stopped-by-user",
                "instance-terminated-by-schedule", "marked-for-termination")) {
            assertTrue(Interruptions.last(request("active", code)).isEmpty(), code);
        }
    }

    @Test
    void aNoticeIsPendingWhileTheInstanceIsUp() {
        SpotRequestInfo marked = request("active", "marked-for-termination");
        assertEquals("marked-for-termination",
                Interruptions.pendingNotice(marked, Optional.of("running")).orElseThrow().code());
        assertTrue(Interruptions.pendingNotice(request("active", "marked-for-stop"), Optional.of("running")).isPresent());
        assertTrue(Interruptions.pendingNotice(marked, Optional.of("stopped")).isEmpty());
        assertTrue(Interruptions.pendingNotice(marked, Optional.empty()).isEmpty());
        assertTrue(Interruptions.pendingNotice(request("active", "fulfilled"), Optional.of("running")).isEmpty());
    }

    @Test
    void sentencesForALiveRequestAlwaysSayWhetherThereWasOne() {
        assertEquals(List.of("sir-1: last interruption: none in its status (EC2 keeps only the latest status)",
                        "sir-1: interruption notice for i-1: none pending"),
                Interruptions.sentences(request("active", "fulfilled"), Optional.of(Requests.instance("i-1", "running"))));
        assertEquals(List.of(), Interruptions.sentences(request("cancelled", "canceled-before-fulfillment"),
                Optional.empty()));
        List<String> marked = Interruptions.sentences(request("active", "marked-for-stop"),
                Optional.of(Requests.instance("i-1", "running")));
        assertTrue(marked.get(1).startsWith("sir-1: interruption notice for i-1: PENDING, marked-for-stop at"
                + " 2026-12-02T09:58:00Z: EC2 is about to stop"), marked::toString);
    }
}
