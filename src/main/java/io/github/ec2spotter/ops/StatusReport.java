package io.github.ec2spotter.ops;

import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotPrice;
import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.model.VolumeInfo;
import io.github.ec2spotter.plan.CurrentInstance;
import io.github.ec2spotter.plan.Interruptions;
import io.github.ec2spotter.plan.PriceTable;
import io.github.ec2spotter.plan.SpotStatus;
import io.github.ec2spotter.text.Json;
import io.github.ec2spotter.text.Printable;
import io.github.ec2spotter.text.Table;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code status}: the volume's spot requests, their instances and prices, and where the volume
 * is; rendered as JSON for scripts or as a table and sentences for people.
 */
public record StatusReport(String volumeName, String region, VolumeInfo volume,
                           List<Row> requests, Optional<InstanceBoot> boot) implements Report {

    /** One spot request with its instance and the current spot price for its type and zone. */
    public record Row(SpotRequestInfo request, Optional<InstanceInfo> instance, Optional<BigDecimal> price) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", request.id());
            m.put("type", request.type());
            m.put("state", request.state());
            m.put("statusCode", request.statusCode());
            m.put("statusMessage", request.statusMessage());
            m.put("statusMeaning", meaning());
            m.put("volumeId", request.volumeId());
            m.put("instanceType", request.instanceType());
            m.put("zone", request.zone());
            m.put("created", request.created());
            m.put("instanceId", request.instanceId());
            m.put("instanceState", instance.map(InstanceInfo::state));
            m.put("publicIp", instance.flatMap(InstanceInfo::publicIp));
            m.put("publicDns", instance.flatMap(InstanceInfo::publicDns));
            m.put("launchTime", instance.flatMap(InstanceInfo::launchTime));
            m.put("spotPriceUsdPerHour", price);
            m.put("lastInterruption", Interruptions.last(request).map(Interruptions.Event::json));
            m.put("interruptionNotice", Interruptions.pendingNotice(request, instance.map(InstanceInfo::state))
                    .map(Interruptions.Event::json));
            return m;
        }

        String[] cells() {
            return new String[] {request.id(), request.type(), request.state(), text(request.statusCode()),
                    text(request.instanceId()), text(instance.map(InstanceInfo::state)),
                    text(instance.flatMap(InstanceInfo::publicIp)), text(instance.flatMap(InstanceInfo::launchTime)),
                    text(request.zone()), price.map(PriceTable::text).orElse("-")};
        }

        String meaning() {
            return SpotStatus.explain(request).meaning();
        }

        private static String text(Optional<?> value) {
            return value.map(Object::toString).orElse("-");
        }
    }

    /**
     * Asks EC2 in the launch region ({@code ec2}); the volume is looked for there, then in its own
     * region when that differs and it was not found. No volume with the name, or several, is a
     * failure, as for launch.
     */
    public static StatusReport of(LaunchSettings settings, Ec2 ec2, Ec2.Connector connector) {
        // First: no report at all about the wrong volume, or about none.
        VolumeInfo volume = VolumeLookup.named(settings, ec2, connector);
        List<SpotRequestInfo> requests = new ArrayList<>(ec2.findSpotRequestsNamed(settings.volumeName()));
        requests.sort(CurrentInstance.OLDEST_FIRST);
        Map<String, InstanceInfo> instances = VolumeLookup.instancesOf(ec2, requests);
        Map<String, List<SpotPrice>> pricesByType = new HashMap<>();
        requests.forEach(r -> r.instanceType().ifPresent(t -> pricesByType.computeIfAbsent(t, ec2::currentSpotPrices)));
        List<Row> rows = new ArrayList<>();
        for (SpotRequestInfo r : requests) {
            Optional<BigDecimal> price = r.instanceType().flatMap(t -> r.zone()
                    .flatMap(z -> PriceTable.priceIn(pricesByType.getOrDefault(t, List.of()), z)));
            rows.add(new Row(r, r.instanceId().map(instances::get), price));
        }
        Optional<InstanceBoot> boot = CurrentInstance.of(requests, instances).map(i -> InstanceBoot.read(ec2, i.id()));
        return new StatusReport(settings.volumeName(), settings.region(), volume, rows, boot);
    }

    @Override
    public String json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("volumeName", volumeName);
        doc.put("region", region);
        doc.put("volume", volumeJson(volume));
        doc.put("requests", requests.stream().map(Row::json).toList());
        doc.put("boot", boot.map(InstanceBoot::json));
        return Json.write(doc);
    }

    private static Map<String, Object> volumeJson(VolumeInfo v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.id());
        m.put("zone", v.zone());
        m.put("state", v.state());
        m.put("attachedTo", v.attachment().map(a -> {
            Map<String, Object> at = new LinkedHashMap<>();
            at.put("instanceId", a.instanceId());
            at.put("device", a.device());
            at.put("state", a.state());
            return at;
        }));
        return m;
    }

    /** What status says when the volume has no ec2spotter request; {@code ssh} says it too. */
    static String noRequests(String volumeName, String region) {
        return "No ec2spotter spot requests for volume '" + Printable.of(volumeName) + "' in " + region + ".";
    }

    /** The sentence under the table saying what a request's status means; {@code ssh} says it too. */
    static String requestSentence(SpotRequestInfo request) {
        return request.id() + ": " + Printable.of(SpotStatus.explain(request).meaning())
                + request.statusMessage().map(m -> " (EC2: " + Printable.of(m) + ")").orElse("");
    }

    /** What the table for people may take of an 80-column terminal, unless {@code --wide}. */
    static final int WIDTH = 80;
    /**
     * The columns kept first when the table must fit {@link #WIDTH}: REQUEST, STATE, STATUS,
     * INSTANCE, PUBLIC-IP, INSTANCE-STATE, the price, ZONE, TYPE, LAUNCHED.
     */
    private static final int[] PRIORITY = {0, 2, 3, 4, 6, 5, 9, 8, 1, 7};

    /** The table, a sentence per request saying what its status means, and the volume's line, within 80 columns. */
    @Override
    public List<String> lines() {
        return lines(false);
    }

    /** The same report, its table with every column however wide ({@code status --wide}). */
    public Report wide() {
        return new Report() {
            @Override
            public String json() {
                return StatusReport.this.json();
            }

            @Override
            public List<String> lines() {
                return StatusReport.this.lines(true);
            }
        };
    }

    private List<String> lines(boolean wide) {
        String name = Printable.of(volumeName);
        List<String> lines = new ArrayList<>();
        if (requests.isEmpty()) {
            lines.add(noRequests(volumeName, region));
        } else {
            Table table = new Table("REQUEST", "TYPE", "STATE", "STATUS", "INSTANCE", "INSTANCE-STATE", "PUBLIC-IP",
                    "LAUNCHED", "ZONE", PriceTable.HEADER);
            requests.forEach(r -> table.row(r.cells()));
            if (wide) {
                lines.addAll(table.lines());
            } else {
                Table.Fitted fitted = table.fit(WIDTH, PRIORITY);
                lines.addAll(fitted.lines());
                if (!fitted.leftOut().isEmpty()) {
                    lines.add("(--wide adds " + String.join(", ", fitted.leftOut()) + ")");
                }
            }
            lines.add("");
            for (Row r : requests) {
                lines.add(requestSentence(r.request()));
                Interruptions.sentences(r.request(), r.instance()).forEach(l -> lines.add(Printable.of(l)));
            }
        }
        lines.add("Volume '" + name + "' " + volume.id() + " in " + volume.zone() + ": " + volume.state()
                + volume.attachment().map(a -> ", attached to " + a.instanceId() + " as " + a.device() + " ("
                + a.state() + ")").orElse(", not attached"));
        boot.ifPresent(b -> lines.add(Printable.of(b.sentence())));
        boot.flatMap(InstanceBoot::kernelSentence).ifPresent(k -> lines.add(Printable.of(k)));
        return lines;
    }
}
