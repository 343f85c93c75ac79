package io.github.ec2spotter.ec2;

import io.github.ec2spotter.model.IamRole;
import io.github.ec2spotter.model.InstanceProfile;
import java.util.Optional;

/**
 * IAM, for the boot script's role and instance profile ({@code setup}). {@link IamGateway}
 * implements it with the SDK; the use case takes this interface. Policy documents go in and come
 * out as JSON text (IAM's URL encoding undone). Every failure arrives as a
 * {@link io.github.ec2spotter.model.Failure} naming the IAM action and the object.
 */
public interface Iam extends AutoCloseable {

    /** The AWS partition the conf's region belongs to ({@code aws}, {@code aws-cn}, ...). */
    String partition();

    /** The role, empty when IAM has none of that name. */
    Optional<IamRole> findRole(String name);

    /** Creates a role that {@code trustPolicy} lets assume it; returns it as IAM made it. */
    IamRole createRole(String name, String path, String trustPolicy);

    /** The document of the role's inline policy {@code policyName}, empty when the role has none of that name. */
    Optional<String> inlinePolicy(String roleName, String policyName);

    /** Sets the role's inline policy {@code policyName} to {@code document}, replacing one of that name. */
    void putInlinePolicy(String roleName, String policyName, String document);

    /** The instance profile, empty when IAM has none of that name. */
    Optional<InstanceProfile> findInstanceProfile(String name);

    /** Creates an empty instance profile. */
    InstanceProfile createInstanceProfile(String name, String path);

    /** Puts the role into the instance profile (which holds one role at most). */
    void addRoleToInstanceProfile(String profileName, String roleName);

    /**
     * The ARN of the IAM user whose keys sign the calls (which carries the account id); empty when
     * IAM cannot tell (the keys are a role's, or the user may not ask).
     */
    Optional<String> callerArn();

    @Override
    void close();
}
