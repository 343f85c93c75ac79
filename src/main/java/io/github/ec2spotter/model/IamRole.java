package io.github.ec2spotter.model;

/** An IAM role: its name, ARN (which carries the partition and the account) and trust policy, as JSON text. */
public record IamRole(String name, String arn, String trustPolicy) {
}
