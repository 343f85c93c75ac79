package io.github.ec2spotter.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ec2spotter.model.InstanceInfo;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ssh words: key, host key alias of the volume, destination, then the user's own words. */
class SshLoginTest {
    @Test
    void thePublicAddressComesFirstThePrivateOneOnlyWithoutIt() {
        InstanceInfo both = new InstanceInfo("i-1", "running", Optional.of("203.0.113.7"), Optional.empty(),
                Optional.empty(), Optional.of("10.0.0.7"));
        InstanceInfo privateOnly = new InstanceInfo("i-2", "running", Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("10.0.0.8"));

        assertEquals(Optional.of(new SshLogin.Address("203.0.113.7", false)), SshLogin.address(both));
        assertEquals(Optional.of(new SshLogin.Address("10.0.0.8", true)), SshLogin.address(privateOnly));
    }

    @Test
    void wordsCarryTheKeyTheAliasAndTheExtraWordsAfterTheDestination() {
        assertEquals(List.of("ssh", "-i", "/home/me/k.pem", "-o", "HostKeyAlias=ec2spotter-vol-1", "admin@203.0.113.7",
                        "-L", "8888:localhost:8888", "uptime"),
                SshLogin.words("admin", new SshLogin.Address("203.0.113.7", false), Optional.of("/home/me/k.pem"), "vol-1",
                        List.of("-L", "8888:localhost:8888", "uptime")));
        assertEquals(List.of("ssh", "-o", "HostKeyAlias=ec2spotter-vol-1", "ubuntu@10.0.0.8"),
                SshLogin.words("ubuntu", new SshLogin.Address("10.0.0.8", true), Optional.empty(), "vol-1", List.of()));
    }
}
