package io.github.ec2spotter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.ec2.Iam;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.IamRole;
import io.github.ec2spotter.model.InstanceProfile;
import io.github.ec2spotter.plan.BootRolePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The states of IAM moto cannot be brought into through the jar alone, or that are quicker to set
 * here: a profile holding another role, a role another tool made, a policy that drifted, keys
 * that are not a user's.
 */
class IamSetupTest {
    private static final String ACCOUNT = "123456789012";

    @TempDir
    Path dir;

    final FakeIam iam = new FakeIam();
    final RecordedProgress progress = new RecordedProgress();

    @Test
    void aProfileHoldingAnotherRoleStopsTheRunBeforeAnythingIsMade() throws IOException {
        iam.profiles.put("spotter-role", new InstanceProfile("spotter-role", arn("instance-profile/spotter-role"),
                List.of("someone-elses")));

        Failure e = assertThrows(Failure.class, () -> new IamSetup(iam, progress).run(Confs.settings(dir, "")));

        assertTrue(e.getMessage().startsWith("instance profile spotter-role holds role someone-elses, not spotter-role"),
                e.getMessage());
        assertEquals(List.of("GetInstanceProfile spotter-role"), iam.calls);
    }

    @Test
    void aPolicyThatDriftedIsReplacedAndAnEmptyProfileGetsTheRole() throws IOException {
        iam.roles.put("spotter-role", new IamRole("spotter-role", arn("role/spotter-role"), BootRolePolicy.trustPolicy()));
        iam.policies.put("spotter-role", "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
        iam.profiles.put("spotter-role", new InstanceProfile("spotter-role", arn("instance-profile/spotter-role"), List.of()));

        new IamSetup(iam, progress).run(Confs.settings(dir, "ec2spotter_elastic_ip=eipalloc-0abc1234\n"));

        assertTrue(progress.results().get(1).startsWith("result: Replaced inline policy ec2spotter-boot-script of role"
                + " spotter-role (it differed from what this conf needs)"), progress.lines::toString);
        assertTrue(iam.policies.get("spotter-role").contains("eipalloc-0abc1234"));
        assertEquals(List.of("spotter-role"), iam.profiles.get("spotter-role").roleNames());
        assertEquals("result: Instance profile spotter-role already exists; added role spotter-role to it",
                progress.results().get(2));
        assertEquals(List.of(), iam.calls.stream().filter(c -> c.startsWith("Create")).toList());
    }

    @Test
    void aRoleEc2MayNotAssumeIsLeftAsItIsWithAWarning() throws IOException {
        iam.roles.put("spotter-role", new IamRole("spotter-role", arn("role/spotter-role"),
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
                        + "\"Action\":\"sts:AssumeRole\"}]}"));

        new IamSetup(iam, progress).run(Confs.settings(dir, ""));

        assertTrue(progress.lines.stream().anyMatch(l -> l.startsWith("warn: the trust policy of role spotter-role does"
                + " not let EC2 (ec2.amazonaws.com) assume it")), progress.lines::toString);
        assertTrue(iam.roles.get("spotter-role").trustPolicy().contains("lambda"), "not changed");
    }

    @Test
    void aProfileArnOfAnotherAccountIsRefusedOnceTheAccountIsKnown() throws IOException {
        LaunchSettings settings = Confs.settings(dir, "");
        Path other = dir.resolve("other.conf");
        Files.writeString(other, Files.readString(settings.confFile()).replace("ec2spotter_iam_instance_profile=spotter-role",
                "ec2spotter_iam_instance_profile=arn:aws:iam::999999999999:instance-profile/spotter-role"));
        LaunchSettings arnSettings = io.github.ec2spotter.config.SettingsReader.read(
                io.github.ec2spotter.config.ConfFile.read(other)).settings();

        Failure e = assertThrows(Failure.class, () -> new IamSetup(iam, progress).run(arnSettings));

        assertTrue(e.getMessage().contains("an ARN of account 999999999999, but these credentials are of account "
                + ACCOUNT), e.getMessage());
        assertEquals(List.of(), iam.calls.stream().filter(c -> c.startsWith("Put") || c.startsWith("Create")).toList(),
                "refused before the role is made, the account known from GetUser");

        iam.calls.clear();
        iam.callerArn = Optional.empty();
        Failure later = assertThrows(Failure.class, () -> new IamSetup(iam, progress).run(arnSettings));
        assertTrue(later.getMessage().contains("an ARN of account 999999999999"), later.getMessage());
        assertEquals(List.of(), iam.calls.stream().filter(c -> c.startsWith("Put") || c.startsWith("CreateInstance"))
                .toList(), "without GetUser's answer: refused once the new role's ARN tells the account");
    }

    @Test
    void aDryRunWithKeysThatAreNotAUsersShowsWhereTheAccountGoes() throws IOException {
        iam.callerArn = Optional.empty();
        Path conf = dir.resolve("my.conf");

        new IamSetup(iam, progress).dryRun(Confs.settings(dir, ""));

        assertTrue(progress.lines.contains("info: IAM does not tell the account id without creating the role (GetUser"
                + " answers only for a user's keys): the documents show ACCOUNT_ID where setup puts it"), progress.lines::toString);
        assertTrue(progress.results().stream().anyMatch(l -> l.contains("\"arn:aws:ec2:us-east-1:ACCOUNT_ID:volume/*\"")));
        assertEquals(List.of("GetInstanceProfile spotter-role", "GetRole spotter-role", "GetUser"),
                iam.calls.stream().sorted().toList());
        assertTrue(Files.readString(conf).endsWith("ec2spotter_iam_instance_profile=spotter-role\n"));
    }

    private static String arn(String resource) {
        return "arn:aws:iam::" + ACCOUNT + ":" + resource;
    }

    /** IAM in memory: one inline policy per role (the boot script's), every call recorded. */
    static final class FakeIam implements Iam {
        final Map<String, IamRole> roles = new HashMap<>();
        final Map<String, String> policies = new HashMap<>();
        final Map<String, InstanceProfile> profiles = new HashMap<>();
        final List<String> calls = new ArrayList<>();
        Optional<String> callerArn = Optional.of(arn("user/dev"));

        @Override
        public String partition() {
            return "aws";
        }

        @Override
        public Optional<IamRole> findRole(String name) {
            calls.add("GetRole " + name);
            return Optional.ofNullable(roles.get(name));
        }

        @Override
        public IamRole createRole(String name, String path, String trustPolicy) {
            calls.add("CreateRole " + name);
            IamRole role = new IamRole(name, arn("role" + path + name), trustPolicy);
            roles.put(name, role);
            return role;
        }

        @Override
        public Optional<String> inlinePolicy(String roleName, String policyName) {
            calls.add("GetRolePolicy " + roleName);
            return Optional.ofNullable(policies.get(roleName));
        }

        @Override
        public void putInlinePolicy(String roleName, String policyName, String document) {
            calls.add("PutRolePolicy " + roleName);
            policies.put(roleName, document);
        }

        @Override
        public Optional<InstanceProfile> findInstanceProfile(String name) {
            calls.add("GetInstanceProfile " + name);
            return Optional.ofNullable(profiles.get(name));
        }

        @Override
        public InstanceProfile createInstanceProfile(String name, String path) {
            calls.add("CreateInstanceProfile " + name);
            InstanceProfile profile = new InstanceProfile(name, arn("instance-profile" + path + name), List.of());
            profiles.put(name, profile);
            return profile;
        }

        @Override
        public void addRoleToInstanceProfile(String profileName, String roleName) {
            calls.add("AddRoleToInstanceProfile " + profileName);
            InstanceProfile p = profiles.get(profileName);
            profiles.put(profileName, new InstanceProfile(p.name(), p.arn(), List.of(roleName)));
        }

        @Override
        public Optional<String> callerArn() {
            calls.add("GetUser");
            return callerArn;
        }

        @Override
        public void close() {
        }
    }
}
