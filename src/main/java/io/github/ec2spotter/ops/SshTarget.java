package io.github.ec2spotter.ops;

import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.model.VolumeInfo;
import io.github.ec2spotter.plan.CurrentInstance;
import io.github.ec2spotter.plan.SshLogin;
import io.github.ec2spotter.text.Printable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ssh}: the running instance of the volume's newest request (the current instance, as
 * {@code status} and {@code logs} mean it) and the address to reach it at.
 */
public final class SshTarget {
    /** What ssh connects to: the volume (its id names the host key), the instance and its address. */
    public record Found(VolumeInfo volume, InstanceInfo instance, SshLogin.Address address) {
    }

    private SshTarget() {
    }

    /**
     * The volume by name (launch's rule), then its current instance, which must be running. Without
     * one, the failure says what {@code status} says of the newest request.
     */
    public static Found find(LaunchSettings settings, Ec2 ec2, Ec2.Connector connector, Progress progress) {
        VolumeInfo volume = VolumeLookup.named(settings, ec2, connector);
        List<SpotRequestInfo> requests = ec2.findSpotRequestsNamed(settings.volumeName());
        Map<String, InstanceInfo> instances = VolumeLookup.instancesOf(ec2, requests);
        String none = "no running instance for volume '" + Printable.of(settings.volumeName()) + "': ";
        InstanceInfo current = CurrentInstance.of(requests, instances).orElseThrow(() -> new Failure(none
                + newest(requests).map(StatusReport::requestSentence)
                .orElse(StatusReport.noRequests(settings.volumeName(), ec2.region()))));
        if (!current.state().equals("running")) {
            throw new Failure(none + "instance " + current.id() + " is " + current.state()
                    + newest(requests).map(r -> "; " + StatusReport.requestSentence(r)).orElse(""));
        }
        SshLogin.Address address = SshLogin.address(current).orElseThrow(() -> new Failure("instance " + current.id()
                + " is running but EC2 reports no address for it yet; try again in a moment"));
        if (address.isPrivate()) {
            progress.info("note: instance " + current.id() + " has no public address; connecting to its private address "
                    + address.host() + " (reachable from inside its VPC, or over a VPN)");
        }
        return new Found(volume, current, address);
    }

    private static Optional<SpotRequestInfo> newest(List<SpotRequestInfo> requests) {
        return requests.stream().max(CurrentInstance.OLDEST_FIRST);
    }
}
