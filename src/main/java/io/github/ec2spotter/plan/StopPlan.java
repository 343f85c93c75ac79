package io.github.ec2spotter.plan;

import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.model.States;
import io.github.ec2spotter.model.VolumeInfo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code stop} has to do: cancel every live request first (a persistent request whose
 * instance is terminated starts a new one), then terminate the instances those requests started,
 * then wait for the volume when it was attached to one of them. Running it again finds nothing
 * left to do. Pure: computed from what EC2 reported.
 */
public record StopPlan(List<SpotRequestInfo> cancel, List<InstanceInfo> terminate, boolean waitForVolume,
                       Optional<String> foreignAttachment) {
    public static StopPlan of(List<SpotRequestInfo> requests, Map<String, InstanceInfo> instances,
                              Optional<VolumeInfo> volume) {
        List<SpotRequestInfo> cancel = requests.stream().filter(r -> States.REQUEST_LIVE.contains(r.state()))
                .toList();
        Set<String> ours = new LinkedHashSet<>();
        requests.forEach(r -> r.instanceId().ifPresent(ours::add));
        List<InstanceInfo> terminate = new ArrayList<>();
        for (String id : ours) {
            InstanceInfo i = instances.get(id);
            if (i != null && States.INSTANCE_HOLDING.contains(i.state())) {
                terminate.add(i);
            }
        }
        boolean waitForVolume = false;
        Optional<String> foreign = Optional.empty();
        if (volume.isPresent() && !"available".equals(volume.get().state())) {
            Optional<VolumeInfo.Attachment> a = volume.get().attachment();
            if (a.isEmpty() || ours.contains(a.get().instanceId())) {
                waitForVolume = true;
            } else {
                foreign = Optional.of(a.get().instanceId());
            }
        }
        return new StopPlan(cancel, terminate, waitForVolume, foreign);
    }

    public boolean nothingToEnd() {
        return cancel.isEmpty() && terminate.isEmpty();
    }

    /** The lines the confirmation prompt shows. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        cancel.forEach(r -> lines.add("cancel spot request " + r.id() + " (" + r.type() + ", " + r.state() + ")"));
        terminate.forEach(i -> lines.add("terminate instance " + i.id() + " (" + i.state()
                + i.publicIp().map(ip -> ", " + ip).orElse("") + ")"));
        return lines;
    }
}
