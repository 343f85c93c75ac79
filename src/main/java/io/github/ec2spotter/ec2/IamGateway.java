package io.github.ec2spotter.ec2;

import io.github.ec2spotter.model.IamRole;
import io.github.ec2spotter.model.InstanceProfile;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * {@link Iam} with the SDK (a client built by {@link IamClients}). Every SDK failure leaves here
 * as a {@link io.github.ec2spotter.model.Failure} naming the action and the object, except IAM's
 * {@code NoSuchEntity} on a read, which is the answer "there is none".
 */
final class IamGateway implements Iam {
    private static final Logger log = LoggerFactory.getLogger(IamGateway.class);

    private final IamClient client;
    private final String partition;
    private final AwsEndpoint endpoint;

    IamGateway(IamClient client, String partition, AwsEndpoint endpoint) {
        this.client = client;
        this.partition = partition;
        this.endpoint = endpoint;
    }

    @Override
    public String partition() {
        return partition;
    }

    @Override
    public Optional<IamRole> findRole(String name) {
        return unlessMissing("GetRole", "role " + name, () -> role(client.getRole(r -> r.roleName(name)).role()));
    }

    @Override
    public IamRole createRole(String name, String path, String trustPolicy) {
        return call("CreateRole", "role " + name, () -> role(client.createRole(r -> r.roleName(name).path(path)
                .assumeRolePolicyDocument(trustPolicy)).role()));
    }

    @Override
    public Optional<String> inlinePolicy(String roleName, String policyName) {
        return unlessMissing("GetRolePolicy", "policy " + policyName + " of role " + roleName,
                () -> decoded(client.getRolePolicy(r -> r.roleName(roleName).policyName(policyName)).policyDocument()));
    }

    @Override
    public void putInlinePolicy(String roleName, String policyName, String document) {
        call("PutRolePolicy", "policy " + policyName + " of role " + roleName, () -> client.putRolePolicy(r -> r
                .roleName(roleName).policyName(policyName).policyDocument(document)));
    }

    @Override
    public Optional<InstanceProfile> findInstanceProfile(String name) {
        return unlessMissing("GetInstanceProfile", "instance profile " + name, () -> profile(client
                .getInstanceProfile(r -> r.instanceProfileName(name)).instanceProfile()));
    }

    @Override
    public InstanceProfile createInstanceProfile(String name, String path) {
        return call("CreateInstanceProfile", "instance profile " + name, () -> profile(client
                .createInstanceProfile(r -> r.instanceProfileName(name).path(path)).instanceProfile()));
    }

    @Override
    public void addRoleToInstanceProfile(String profileName, String roleName) {
        call("AddRoleToInstanceProfile", "instance profile " + profileName + " (role " + roleName + ")",
                () -> client.addRoleToInstanceProfile(r -> r.instanceProfileName(profileName).roleName(roleName)));
    }

    @Override
    public Optional<String> callerArn() {
        try {
            return Optional.ofNullable(client.getUser().user().arn());
        } catch (SdkException e) {
            // Keys of a role or an SSO session have no user to show; the caller does without.
            log.debug("IAM GetUser cannot tell the account: {}", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private static IamRole role(Role role) {
        return new IamRole(role.roleName(), role.arn(), decoded(role.assumeRolePolicyDocument()));
    }

    private static InstanceProfile profile(software.amazon.awssdk.services.iam.model.InstanceProfile profile) {
        return new InstanceProfile(profile.instanceProfileName(), profile.arn(),
                profile.roles().stream().map(Role::roleName).toList());
    }

    /**
     * IAM returns policy documents URL-encoded (RFC 3986); a document that already reads as JSON
     * (as some emulators return it) is left as it is.
     */
    static String decoded(String document) {
        if (document == null) {
            return "";
        }
        return document.strip().startsWith("{") ? document : URLDecoder.decode(document, StandardCharsets.UTF_8);
    }

    private <T> Optional<T> unlessMissing(String action, String object, Supplier<T> work) {
        try {
            return Optional.of(work.get());
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsErrors.iamFailure(action, object, e, endpoint);
        }
    }

    private <T> T call(String action, String object, Supplier<T> work) {
        try {
            return work.get();
        } catch (SdkException e) {
            throw AwsErrors.iamFailure(action, object, e, endpoint);
        }
    }
}
