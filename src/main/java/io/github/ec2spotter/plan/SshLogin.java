package io.github.ec2spotter.plan;

import io.github.ec2spotter.model.InstanceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code ssh} command line for the volume's instance. Pure: the address to use and the words
 * to run; finding the instance and running ssh are the caller's.
 */
public final class SshLogin {
    private SshLogin() {
    }

    /** Where to connect: the public address when the instance has one, else its private one. */
    public record Address(String host, boolean isPrivate) {
    }

    public static Optional<Address> address(InstanceInfo instance) {
        return instance.publicIp().map(ip -> new Address(ip, false))
                .or(() -> instance.privateIp().map(ip -> new Address(ip, true)));
    }

    /**
     * The host key alias: each replacement instance has a new address but the same host keys (the
     * volume's cloud-init keeps them), so known_hosts stays valid when it records them under the
     * volume instead of the address.
     */
    public static String hostKeyAlias(String volumeId) {
        return "ec2spotter-" + volumeId;
    }

    /**
     * {@code ssh [-i KEY] -o HostKeyAlias=... USER@HOST EXTRA...}. The extra words come after the
     * destination: OpenSSH reads options there too, and the first word that is not one starts the
     * remote command, so both {@code -- -L 8888:localhost:8888} and {@code -- uptime} mean what
     * they say.
     */
    public static List<String> words(String user, Address address, Optional<String> keyFile, String volumeId,
                                      List<String> extra) {
        List<String> words = new ArrayList<>(List.of("ssh"));
        keyFile.ifPresent(k -> words.addAll(List.of("-i", k)));
        words.addAll(List.of("-o", "HostKeyAlias=" + hostKeyAlias(volumeId), user + "@" + address.host()));
        words.addAll(extra);
        return words;
    }
}
