package io.github.ec2spotter.model;

import java.util.List;
import java.util.Optional;

/** What ec2spotter needs to know about an EBS volume. */
public record VolumeInfo(String id, String zone, String state, String type, int sizeGib, List<Attachment> attachments) {

    /** The volume's attachment to an instance, with that instance's state when known. */
    public record Attachment(String instanceId, String device, String state) {
    }

    public Optional<Attachment> attachment() {
        return attachments.stream().findFirst();
    }
}
