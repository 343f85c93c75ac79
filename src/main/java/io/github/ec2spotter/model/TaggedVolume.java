package io.github.ec2spotter.model;

import java.util.Map;

/** A volume with its tags and the region it is in: what {@code cleanup} needs to tell a left-over from the volume in use. */
public record TaggedVolume(VolumeInfo volume, String region, Map<String, String> tags) {
    public String name() {
        return tags.getOrDefault(Tags.NAME, "");
    }
}
