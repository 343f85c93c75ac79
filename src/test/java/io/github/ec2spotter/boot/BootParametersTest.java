package io.github.ec2spotter.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.model.AccessKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The parameters launch sets are the ones boot.sh declares; the rest are for tests only. */
class BootParametersTest {
    /** The parameters only tests set: where the script looks, how long it waits, whether it reboots. */
    private static final List<String> TEST_ONLY = List.of("sysroot", "devroot", "attach_timeout", "device_timeout",
            "credentials_timeout", "reboot");

    private static final BootParameters FULL = new BootParameters(Optional.of("vol-0123456789abcdef0"), "spotter",
            "us-east-1", Optional.of("http://127.0.0.1:5000"), Optional.of("http://127.0.0.1:6000"),
            Optional.of("eipalloc-0123"), Optional.of("box"), false, false, "ami",
            Optional.of(new AccessKeys("AKIDEXAMPLE000000001", "secret-secret-secret", Optional.of("token"))));

    @Test
    void theNamesAreTheTemplatesBlockLessTheTestOnlyOnes() {
        List<String> launchSets = new ArrayList<>(BootScript.parameterNames());
        launchSets.removeAll(TEST_ONLY);
        assertEquals(launchSets, BootParameters.NAMES);
        assertTrue(BootScript.parameterNames().containsAll(TEST_ONLY), "a test-only parameter left boot.sh");
    }

    @Test
    void aFullRecordSetsEveryName() {
        assertEquals(BootParameters.NAMES, List.copyOf(FULL.values().keySet()));
        assertEquals("no", FULL.values().get("interruption_hooks"));
        assertEquals("no", FULL.values().get("keep_host_keys"));
        assertEquals("ami", FULL.values().get("kernel"));
    }

    @Test
    void emptyEndpointsAndKeysKeepTheTemplatesDefaults() {
        BootParameters none = new BootParameters(Optional.empty(), "spotter", "us-east-1", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), true, true, "auto", Optional.empty());
        List<String> absent = new ArrayList<>(BootParameters.NAMES);
        absent.removeAll(none.values().keySet());
        assertEquals(List.of("ec2_endpoint", "imds_url", "access_key_id", "secret_access_key", "session_token"), absent);
        assertEquals("", none.values().get("volume_id"));
    }

    /** The watcher shares imds_url with the boot script: the record's value reaches both. */
    @Test
    void theMetadataUrlReachesTheWatcherToo() {
        String script = BootScript.render(FULL).text();
        assertEquals(2, script.split("\nimds_url='http://127.0.0.1:6000'\n", -1).length - 1, script);
        assertTrue(script.contains("\ninterruption_hooks='no'\n"));
        assertTrue(script.contains("\nkernel='ami'\n"));
    }
}
