package io.github.ec2spotter.testing;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** The AWS objects a user has before running ec2spotter: network, key pair, AMI, a Name-tagged volume. */
public record Seed(String vpcId, String subnetId, String securityGroupId, String keyName, String imageId) {

    public static Seed create(Ec2Client ec2, String zone) {
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.20.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.20.1.0/24").availabilityZone(zone))
                .subnet().subnetId();
        String group = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("spotter-ssh").description("ssh"))
                .groupId();
        ec2.createKeyPair(r -> r.keyName("spotter-key"));
        String image = ec2.describeImages(r -> r.owners("amazon")).images().stream()
                .filter(i -> "/dev/sda1".equals(i.rootDeviceName()))
                .findFirst().orElseThrow().imageId();
        return new Seed(vpc, subnet, group, "spotter-key", image);
    }

    /** A volume tagged {@code Name=name} in {@code zone}; returns its id. */
    public static String volume(Ec2Client ec2, String zone, String name) {
        return ec2.createVolume(r -> r.availabilityZone(zone).size(20).volumeType("gp3")
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.VOLUME)
                        .tags(Tag.builder().key("Name").value(name).build()).build()))
                .volumeId();
    }
}
