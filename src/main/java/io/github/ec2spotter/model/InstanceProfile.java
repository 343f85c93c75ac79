package io.github.ec2spotter.model;

import java.util.List;

/** An IAM instance profile and the names of the roles in it (IAM allows one at most). */
public record InstanceProfile(String name, String arn, List<String> roleNames) {
    public InstanceProfile {
        roleNames = List.copyOf(roleNames);
    }
}
