package io.github.ec2spotter.ops;

import io.github.ec2spotter.config.ConfUpdate;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Iam;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.IamRole;
import io.github.ec2spotter.model.InstanceProfile;
import io.github.ec2spotter.plan.BootRolePolicy;
import io.github.ec2spotter.plan.IamNames;
import io.github.ec2spotter.plan.IamNames.Names;
import io.github.ec2spotter.plan.IamNames.Owner;
import io.github.ec2spotter.text.Printable;
import java.util.Optional;

/**
 * {@code setup}: the IAM role the boot script's calls are signed with, its trust policy for EC2,
 * its least-privilege inline policy ({@link BootRolePolicy}), and the instance profile that hands
 * it to the instance; then the profile's name in the conf. Each is looked up first and made only
 * when missing, so a second run changes nothing and says so. The dry run only reads.
 */
public final class IamSetup {
    /** The comment line above the setting {@code setup} adds to the conf. */
    static final String CONF_COMMENT = "The boot script's instance profile, made by ec2spotter setup";
    /** Stands for the account id in a dry run's documents when IAM cannot tell it without a change. */
    static final String UNKNOWN_ACCOUNT = "ACCOUNT_ID";

    private final Iam iam;
    private final Progress progress;

    public IamSetup(Iam iam, Progress progress) {
        this.iam = iam;
        this.progress = progress;
    }

    /** Makes what is missing, in the order each needs the one before, and names the profile in the conf. */
    public void run(LaunchSettings settings) {
        Names names = IamNames.of(settings);
        progress.info("IAM for the boot script of volume '" + Printable.of(settings.volumeName()) + "' in "
                + settings.region() + ": role and instance profile " + names.profile());
        boolean made = false;
        // First, before anything is made: a profile holding another role stops the run.
        Optional<InstanceProfile> profile = iam.findInstanceProfile(names.profile());
        profile.ifPresent(p -> refuseOtherRole(p, names.role()));
        Optional<IamRole> found = iam.findRole(names.role());
        IamRole role;
        if (found.isPresent()) {
            role = found.get();
            progress.result("Role " + role.name() + " already exists (" + role.arn() + ")");
            warnUnlessTrustsEc2(role);
        } else {
            // A conf ARN of another account: say so before making a role in this one, when IAM can tell.
            if (names.confAccount().isPresent()) {
                iam.callerArn().flatMap(IamNames::ownerOf).ifPresent(caller -> checkAccount(settings, names, caller));
            }
            role = iam.createRole(names.role(), names.path(), BootRolePolicy.trustPolicy());
            progress.result("Created role " + role.name() + " (" + role.arn() + "); its trust policy lets EC2 hand it"
                    + " to instances");
            made = true;
        }
        Owner owner = ownerOf(role.arn());
        checkAccount(settings, names, owner);
        String policy = BootRolePolicy.inlinePolicy(scope(settings, names, owner));
        Optional<String> current = iam.inlinePolicy(role.name(), IamNames.POLICY);
        if (current.isPresent() && BootRolePolicy.same(current.get(), policy)) {
            progress.result("Inline policy " + IamNames.POLICY + " of role " + role.name() + " already exists, as this"
                    + " conf needs it");
        } else {
            iam.putInlinePolicy(role.name(), IamNames.POLICY, policy);
            progress.result((current.isPresent() ? "Replaced inline policy " + IamNames.POLICY + " of role " + role.name()
                    + " (it differed from what this conf needs)" : "Put inline policy " + IamNames.POLICY + " on role "
                    + role.name()) + ": volume Name '" + Printable.of(settings.volumeName()) + "' in " + settings.region()
                    + ", account " + owner.account());
            made |= current.isEmpty();
        }
        if (profile.isEmpty()) {
            InstanceProfile created = iam.createInstanceProfile(names.profile(), names.path());
            iam.addRoleToInstanceProfile(created.name(), role.name());
            progress.result("Created instance profile " + created.name() + " (" + created.arn() + ") with role "
                    + role.name());
            made = true;
        } else if (profile.get().roleNames().contains(role.name())) {
            progress.result("Instance profile " + profile.get().name() + " already exists, with role " + role.name());
        } else {
            iam.addRoleToInstanceProfile(profile.get().name(), role.name());
            progress.result("Instance profile " + profile.get().name() + " already exists; added role " + role.name()
                    + " to it");
        }
        nameProfileInConf(settings, names);
        if (made) {
            progress.info("IAM takes some seconds to make a new instance profile known to EC2: a launch right now may be"
                    + " refused for an invalid instance profile; wait a little and launch again");
        }
    }

    /** Prints what {@link #run} would do and the two policy documents; IAM is only read, the conf not written. */
    public void dryRun(LaunchSettings settings) {
        Names names = IamNames.of(settings);
        Optional<IamRole> role = iam.findRole(names.role());
        Owner owner = role.map(r -> ownerOf(r.arn()))
                .or(() -> iam.callerArn().flatMap(IamNames::ownerOf))
                .orElseGet(() -> {
                    if (names.confAccount().isEmpty()) {
                        progress.info("IAM does not tell the account id without creating the role (GetUser answers"
                                + " only for a user's keys): the documents show " + UNKNOWN_ACCOUNT + " where setup"
                                + " puts it");
                    }
                    return new Owner(iam.partition(), names.confAccount().orElse(UNKNOWN_ACCOUNT));
                });
        if (role.isPresent()) {
            checkAccount(settings, names, owner);
        }
        String policy = BootRolePolicy.inlinePolicy(scope(settings, names, owner));
        progress.result("Dry run: nothing is created or changed in IAM, and " + settings.confFile() + " is not written.");
        if (role.isPresent()) {
            progress.result("Role " + names.role() + ": already exists (" + role.get().arn() + ")");
            warnUnlessTrustsEc2(role.get());
            Optional<String> current = iam.inlinePolicy(names.role(), IamNames.POLICY);
            progress.result("Inline policy " + IamNames.POLICY + ": " + (current.isEmpty() ? "would be put on the role"
                    : BootRolePolicy.same(current.get(), policy) ? "already exists, as this conf needs it"
                    : "exists and differs: would be replaced"));
        } else {
            progress.result("Role " + names.role() + ": would be created, with the trust policy below");
            progress.result("Inline policy " + IamNames.POLICY + ": would be put on the role");
        }
        Optional<InstanceProfile> profile = iam.findInstanceProfile(names.profile());
        if (profile.isEmpty()) {
            progress.result("Instance profile " + names.profile() + ": would be created, with role " + names.role());
        } else if (profile.get().roleNames().contains(names.role())) {
            progress.result("Instance profile " + names.profile() + ": already exists, with role " + names.role());
        } else {
            refuseOtherRole(profile.get(), names.role());
            progress.result("Instance profile " + names.profile() + ": already exists; role " + names.role()
                    + " would be added to it");
        }
        progress.result(settings.iamInstanceProfile().isPresent()
                ? settings.confFile() + ": already names instance profile " + settings.iamInstanceProfile().get()
                : settings.confFile() + ": ec2spotter_iam_instance_profile=" + names.profile() + " would be added");
        progress.result("Trust policy of role " + names.role() + ":");
        progress.result(BootRolePolicy.trustPolicy());
        progress.result("Inline policy " + IamNames.POLICY + " of role " + names.role() + ":");
        progress.result(policy);
    }

    private static BootRolePolicy.Scope scope(LaunchSettings settings, Names names, Owner owner) {
        return new BootRolePolicy.Scope(owner.partition(), owner.account(), settings.region(), settings.volumeName(),
                IamNames.profileArn(names, owner), settings.elasticIp(), settings.instanceName().isPresent());
    }

    private void nameProfileInConf(LaunchSettings settings, Names names) {
        if (names.fromConf()) {
            progress.result(settings.confFile() + " already names instance profile "
                    + settings.iamInstanceProfile().orElseThrow() + "; left as it is");
            return;
        }
        String line = "ec2spotter_iam_instance_profile=" + names.profile();
        switch (ConfUpdate.addSetting(settings.confFile(), "iam_instance_profile", names.profile(), CONF_COMMENT)) {
            case APPENDED -> progress.result("Added " + line + " to " + settings.confFile());
            case REPLACED_EMPTY -> progress.result("Set " + line + " in " + settings.confFile() + " (it was empty)");
            case ALREADY_SET -> progress.result(settings.confFile() + " already sets ec2spotter_iam_instance_profile"
                    + " (written since setup read it); left as it is");
        }
    }

    private void warnUnlessTrustsEc2(IamRole role) {
        if (!BootRolePolicy.trustsEc2(role.trustPolicy())) {
            progress.warn("the trust policy of role " + role.name() + " does not let " + "EC2 (ec2.amazonaws.com)"
                    + " assume it, so instances of the profile get no credentials; setup leaves it as it is: allow"
                    + " sts:AssumeRole for ec2.amazonaws.com, or name another profile in the conf");
        }
    }

    /** An instance profile holds one role: one holding another is not setup's to change. */
    private static void refuseOtherRole(InstanceProfile profile, String role) {
        if (!profile.roleNames().isEmpty() && !profile.roleNames().contains(role)) {
            throw new Failure("instance profile " + profile.name() + " holds role " + String.join(", ",
                    profile.roleNames()) + ", not " + role + " (a profile holds one role): remove that role from it"
                    + " (aws iam remove-role-from-instance-profile), or name another profile in"
                    + " ec2spotter_iam_instance_profile");
        }
    }

    private static void checkAccount(LaunchSettings settings, Names names, Owner owner) {
        if (names.confAccount().isPresent() && !names.confAccount().get().equals(owner.account())) {
            throw new Failure(settings.confFile() + ": ec2spotter_iam_instance_profile is an ARN of account "
                    + names.confAccount().get() + ", but these credentials are of account " + owner.account()
                    + ": use credentials of that account, or give the profile's name only");
        }
    }

    private static Owner ownerOf(String arn) {
        return IamNames.ownerOf(arn).orElseThrow(() -> new Failure("IAM answered with a role ARN that names no account: "
                + Printable.of(arn)));
    }
}
