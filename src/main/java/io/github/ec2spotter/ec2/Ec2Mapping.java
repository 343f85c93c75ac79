package io.github.ec2spotter.ec2;

import io.github.ec2spotter.model.ImageInfo;
import io.github.ec2spotter.model.InstanceInfo;
import io.github.ec2spotter.model.SpotPrice;
import io.github.ec2spotter.model.SpotRequest;
import io.github.ec2spotter.model.SpotRequestInfo;
import io.github.ec2spotter.model.Tags;
import io.github.ec2spotter.model.VolumeInfo;
import io.github.ec2spotter.model.VolumeSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.IamInstanceProfileSpecification;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.RequestSpotInstancesRequest;
import software.amazon.awssdk.services.ec2.model.RequestSpotLaunchSpecification;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SpotInstanceRequest;
import software.amazon.awssdk.services.ec2.model.SpotPlacement;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/** Between the SDK's request and response types and ec2spotter's model. */
final class Ec2Mapping {
    private Ec2Mapping() {
    }

    static RequestSpotInstancesRequest toSdk(SpotRequest spot, boolean dryRun) {
        RequestSpotLaunchSpecification.Builder launch = RequestSpotLaunchSpecification.builder()
                .imageId(spot.imageId())
                .instanceType(spot.instanceType())
                .ebsOptimized(true)
                .placement(SpotPlacement.builder().availabilityZone(spot.zone()).build())
                .blockDeviceMappings(BlockDeviceMapping.builder()
                        .deviceName(spot.rootDeviceName())
                        .ebs(EbsBlockDevice.builder()
                                .volumeType(VolumeType.GP3)
                                .volumeSize(spot.rootSizeGib())
                                .deleteOnTermination(true)
                                .build())
                        .build())
                .userData(Base64.getEncoder().encodeToString(spot.userData()));
        spot.keyName().ifPresent(launch::keyName);
        spot.iamInstanceProfile().ifPresent(p -> launch.iamInstanceProfile(p.startsWith("arn:")
                ? IamInstanceProfileSpecification.builder().arn(p).build()
                : IamInstanceProfileSpecification.builder().name(p).build()));
        if (spot.subnet().isPresent()) {
            // A public IP can only be asked for on a network interface, and then the groups go there too.
            launch.networkInterfaces(InstanceNetworkInterfaceSpecification.builder()
                    .deviceIndex(0)
                    .subnetId(spot.subnet().get())
                    .groups(spot.securityGroups())
                    .associatePublicIpAddress(true)
                    .deleteOnTermination(true)
                    .build());
        } else if (!spot.securityGroups().isEmpty()) {
            launch.securityGroupIds(spot.securityGroups());
        }
        RequestSpotInstancesRequest.Builder request = RequestSpotInstancesRequest.builder()
                .dryRun(dryRun)
                .instanceCount(1)
                .type(spot.requestType())
                .instanceInterruptionBehavior(spot.interruptionBehavior())
                .launchSpecification(launch.build())
                .tagSpecifications(tagging(ResourceType.SPOT_INSTANCES_REQUEST, spot.tags()));
        spot.maxPrice().ifPresent(p -> request.spotPrice(p.toPlainString()));
        return request.build();
    }

    static TagSpecification tagging(ResourceType type, Map<String, String> tags) {
        return TagSpecification.builder().resourceType(type).tags(tags.entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList()).build();
    }

    static VolumeInfo volumeInfo(Volume v) {
        return new VolumeInfo(v.volumeId(), v.availabilityZone(), v.stateAsString(), v.volumeTypeAsString(),
                v.size() == null ? 0 : v.size(),
                v.attachments().stream()
                        .map(a -> new VolumeInfo.Attachment(a.instanceId(), a.device(), a.stateAsString()))
                        .toList());
    }

    static VolumeSpec volumeSpec(Volume v) {
        return new VolumeSpec(v.volumeTypeAsString(), v.size() == null ? 0 : v.size(),
                Optional.ofNullable(v.iops()), Optional.ofNullable(v.throughput()),
                Boolean.TRUE.equals(v.encrypted()), Optional.ofNullable(v.kmsKeyId()));
    }

    static SpotRequestInfo spotRequestInfo(SpotInstanceRequest r) {
        Map<String, String> tags = new LinkedHashMap<>();
        r.tags().forEach(t -> tags.put(t.key(), t.value()));
        var spec = Optional.ofNullable(r.launchSpecification());
        return new SpotRequestInfo(r.spotInstanceRequestId(), r.typeAsString(), r.stateAsString(),
                Optional.ofNullable(r.status()).map(s -> s.code()),
                Optional.ofNullable(r.status()).map(s -> s.message()).filter(m -> !m.isBlank()),
                Optional.ofNullable(r.instanceId()).filter(s -> !s.isEmpty()),
                spec.map(s -> s.instanceTypeAsString()),
                Optional.ofNullable(r.launchedAvailabilityZone())
                        .or(() -> spec.map(s -> s.placement()).map(p -> p.availabilityZone())),
                Optional.ofNullable(tags.get(Tags.NAME)),
                Optional.ofNullable(tags.get(Tags.VOLUME)),
                Optional.ofNullable(r.createTime()),
                Optional.ofNullable(r.status()).map(s -> s.updateTime()));
    }

    static InstanceInfo instanceInfo(Instance i) {
        return new InstanceInfo(i.instanceId(), i.state().nameAsString(),
                Optional.ofNullable(i.publicIpAddress()).filter(s -> !s.isEmpty()),
                Optional.ofNullable(i.publicDnsName()).filter(s -> !s.isEmpty()),
                Optional.ofNullable(i.launchTime()),
                Optional.ofNullable(i.privateIpAddress()).filter(s -> !s.isEmpty()));
    }

    static ImageInfo imageInfo(Image image) {
        String root = image.rootDeviceName() == null ? "/dev/sda1" : image.rootDeviceName();
        OptionalInt size = image.blockDeviceMappings().stream()
                .filter(m -> root.equals(m.deviceName()) && m.ebs() != null && m.ebs().volumeSize() != null)
                .mapToInt(m -> m.ebs().volumeSize())
                .findFirst();
        return new ImageInfo(image.imageId(), root, size);
    }

    static Optional<SpotPrice> spotPrice(software.amazon.awssdk.services.ec2.model.SpotPrice p) {
        if (p.spotPrice() == null || p.availabilityZone() == null) {
            return Optional.empty();
        }
        return Optional.of(new SpotPrice(p.availabilityZone(), new BigDecimal(p.spotPrice()),
                p.timestamp() == null ? Instant.EPOCH : p.timestamp()));
    }
}
