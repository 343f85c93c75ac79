package io.github.ec2spotter.cli;

import io.github.ec2spotter.ExitCodes;
import io.github.ec2spotter.aws.Ec2Gateway;
import io.github.ec2spotter.aws.InstanceInfo;
import io.github.ec2spotter.aws.SpotPrice;
import io.github.ec2spotter.aws.SpotRequestInfo;
import io.github.ec2spotter.aws.VolumeInfo;
import io.github.ec2spotter.config.Credentials;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.plan.PriceTable;
import io.github.ec2spotter.plan.SpotStatus;
import io.github.ec2spotter.text.Json;
import io.github.ec2spotter.text.Printable;
import io.github.ec2spotter.text.Table;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Show the volume's spot requests, their instances and where the volume is attached.",
                "For every ec2spotter request: type, state, status code and message, instance id and state, public IP, "
                        + "launch time, and the current spot price for its type and zone.",
                "Requests are found in the launch zone's region by the tags launch put on them."},
        footer = {"", "Exit codes: 0 done, 1 AWS or runtime failure, 2 bad options, conf or credentials file."})
final class StatusCommand extends BaseCommand {
    @Mixin
    ConfOptions conf;

    @Mixin
    OutputOptions output;

    @Override
    int run() {
        LaunchSettings settings = conf.settings(console, Optional.empty());
        Credentials credentials = conf.credentials(console);
        try (Ec2Gateway ec2 = Ec2Gateway.connect(credentials, settings.region(), environment)) {
            List<SpotRequestInfo> requests = new ArrayList<>(ec2.findSpotRequestsNamed(settings.volumeName()));
            requests.sort(Comparator.comparing((SpotRequestInfo r) -> r.created().orElse(java.time.Instant.EPOCH))
                    .thenComparing(SpotRequestInfo::id));
            Set<String> instanceIds = new TreeSet<>();
            requests.forEach(r -> r.instanceId().ifPresent(instanceIds::add));
            Map<String, InstanceInfo> instances = ec2.findInstances(instanceIds);
            Map<String, List<SpotPrice>> pricesByType = new HashMap<>();
            requests.forEach(r -> r.instanceType().ifPresent(t -> pricesByType.computeIfAbsent(t,
                    ec2::currentSpotPrices)));
            Optional<VolumeInfo> volume = VolumeLookup.inRegion(settings, ec2);
            if (volume.isEmpty() && !settings.volumeRegion().equals(settings.region())) {
                try (Ec2Gateway volumeEc2 = Ec2Gateway.connect(credentials, settings.volumeRegion(), environment)) {
                    volume = VolumeLookup.inRegion(settings, volumeEc2);
                }
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (SpotRequestInfo r : requests) {
                Optional<InstanceInfo> instance = r.instanceId().map(instances::get);
                Optional<BigDecimal> price = r.instanceType().flatMap(t -> r.zone()
                        .flatMap(z -> PriceTable.priceIn(pricesByType.getOrDefault(t, List.of()), z)));
                rows.add(requestJson(r, instance, price));
            }
            if (output.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("volumeName", settings.volumeName());
                doc.put("region", settings.region());
                doc.put("volume", volume.map(StatusCommand::volumeJson));
                doc.put("requests", rows);
                console.result(Json.write(doc));
            } else {
                printTable(settings, rows, volume);
            }
            return ExitCodes.OK;
        }
    }

    private static Map<String, Object> requestJson(SpotRequestInfo r, Optional<InstanceInfo> instance,
                                                   Optional<BigDecimal> price) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("type", r.type());
        m.put("state", r.state());
        m.put("statusCode", r.statusCode());
        m.put("statusMessage", r.statusMessage());
        m.put("statusMeaning", SpotStatus.explain(r).meaning());
        m.put("volumeId", r.volumeId());
        m.put("instanceType", r.instanceType());
        m.put("zone", r.zone());
        m.put("created", r.created());
        m.put("instanceId", r.instanceId());
        m.put("instanceState", instance.map(InstanceInfo::state));
        m.put("publicIp", instance.flatMap(InstanceInfo::publicIp));
        m.put("publicDns", instance.flatMap(InstanceInfo::publicDns));
        m.put("launchTime", instance.flatMap(InstanceInfo::launchTime));
        m.put("spotPriceUsdPerHour", price);
        return m;
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

    private void printTable(LaunchSettings settings, List<Map<String, Object>> rows, Optional<VolumeInfo> volume) {
        String name = Printable.of(settings.volumeName());
        if (rows.isEmpty()) {
            console.result("No ec2spotter spot requests for volume '" + name + "' in " + settings.region() + ".");
        } else {
            Table table = new Table("REQUEST", "TYPE", "STATE", "STATUS", "INSTANCE", "INSTANCE-STATE", "PUBLIC-IP",
                    "LAUNCHED", "ZONE", "SPOT-PRICE");
            for (Map<String, Object> r : rows) {
                table.row(text(r.get("id")), text(r.get("type")), text(r.get("state")), text(r.get("statusCode")),
                        text(r.get("instanceId")), text(r.get("instanceState")), text(r.get("publicIp")),
                        text(r.get("launchTime")), text(r.get("zone")),
                        r.get("spotPriceUsdPerHour") instanceof Optional<?> p && p.isPresent()
                                ? "$" + ((BigDecimal) p.get()).toPlainString() + "/h" : "-");
            }
            table.lines().forEach(console::result);
            console.result("");
            for (Map<String, Object> r : rows) {
                console.result(r.get("id") + ": " + Printable.of((String) r.get("statusMeaning"))
                        + (r.get("statusMessage") instanceof Optional<?> m && m.isPresent()
                        ? " (EC2: " + Printable.of((String) m.get()) + ")" : ""));
            }
        }
        console.result(volume.map(v -> "Volume '" + name + "' " + v.id() + " in " + v.zone() + ": " + v.state()
                + v.attachment().map(a -> ", attached to " + a.instanceId() + " as " + a.device() + " (" + a.state() + ")")
                .orElse(", not attached"))
                .orElse("No volume tagged Name=" + name + " in " + settings.region()
                        + (settings.volumeRegion().equals(settings.region()) ? "" : " or " + settings.volumeRegion())));
    }

    private static String text(Object value) {
        Object v = value instanceof Optional<?> o ? o.orElse(null) : value;
        return v == null ? "-" : v.toString();
    }
}
