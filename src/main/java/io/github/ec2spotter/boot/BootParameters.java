package io.github.ec2spotter.boot;

import io.github.ec2spotter.model.AccessKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values {@code launch} and {@code user-data} put into boot.sh's parameter block. An empty
 * optional leaves the template's default. The parameters only tests set (sysroot, timeouts,
 * reboot) are not here; BootParametersTest holds {@link #NAMES} against the template's block.
 *
 * @param volumeId     empty when it is not known yet (user-data without AWS): the script then finds
 *                     the volume by its name
 * @param keepHostKeys the volume's cloud-init keeps its ssh host keys on a new instance
 * @param kernel       {@code auto}, {@code volume} or {@code ami} (ec2spotter_kernel)
 * @param embeddedKeys only with {@code ec2spotter_embed_credentials=yes}
 */
public record BootParameters(
        Optional<String> volumeId,
        String volumeName,
        String region,
        Optional<String> ec2Endpoint,
        Optional<String> imdsUrl,
        Optional<String> elasticIp,
        Optional<String> instanceName,
        boolean interruptionHooks,
        boolean keepHostKeys,
        String kernel,
        Optional<AccessKeys> embeddedKeys) {

    /** The template parameters this record sets, in template order. */
    public static final List<String> NAMES = List.of("volume_id", "volume_name", "region", "ec2_endpoint", "imds_url",
            "elastic_ip", "instance_name", "access_key_id", "secret_access_key", "session_token", "interruption_hooks",
            "keep_host_keys", "kernel");

    /** The parameter values by template name; absent endpoints and keys keep the template's defaults. */
    public Map<String, String> values() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("volume_id", volumeId.orElse(""));
        p.put("volume_name", volumeName);
        p.put("region", region);
        ec2Endpoint.ifPresent(url -> p.put("ec2_endpoint", url));
        imdsUrl.ifPresent(url -> p.put("imds_url", url));
        p.put("elastic_ip", elasticIp.orElse(""));
        p.put("instance_name", instanceName.orElse(""));
        embeddedKeys.ifPresent(k -> {
            p.put("access_key_id", k.accessKeyId());
            p.put("secret_access_key", k.secretAccessKey());
            p.put("session_token", k.sessionToken().orElse(""));
        });
        p.put("interruption_hooks", interruptionHooks ? "yes" : "no");
        p.put("keep_host_keys", keepHostKeys ? "yes" : "no");
        p.put("kernel", kernel);
        return p;
    }
}
