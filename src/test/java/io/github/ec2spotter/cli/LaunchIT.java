package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.testing.Jar;
import io.github.ec2spotter.testing.Moto;
import io.github.ec2spotter.testing.MotoTest;
import io.github.ec2spotter.testing.Seed;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ec2spotter launch}, run as a process against a real moto_server. */
class LaunchIT extends MotoTest {
    Jar jar;

    @BeforeEach
    void prepare() throws IOException {
        jar = Jar.built(dir).env("AWS_ENDPOINT_URL_EC2", moto.endpoint());
        moto.clearRecording();
    }

    @Test
    void launchSendsEveryLaunchSpecificationFieldAndTagsTheRequest() throws Exception {
        String volume = Seed.volume(ec2, ZONE, "spotter");
        Path conf = conf("""
                ec2spotter_bid_price=0.42
                ec2spotter_subnet=%s
                ec2spotter_security_group=%s
                ec2spotter_key_name=%s
                ec2spotter_iam_instance_profile=spotter-role
                ec2spotter_root_size_gib=30
                ec2spotter_elastic_ip=eipalloc-0123456789abcdef0
                ec2spotter_instance_name='my box'
                """.formatted(seed.subnetId(), seed.securityGroupId(), seed.keyName()));

        Jar.Result r = jar.run("launch", conf.toString(), legacyCreds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        List<Moto.Call> requests = moto.calls("RequestSpotInstances");
        assertEquals(1, requests.size());
        Moto.Call call = requests.get(0);
        String requestId = ec2.describeSpotInstanceRequests().spotInstanceRequests().get(0).spotInstanceRequestId();
        assertEquals("Spot request " + requestId + " (persistent) for volume 'spotter' (" + volume + ") in " + ZONE + "\n",
                r.stdout());
        assertEquals("persistent", call.param("Type"));
        assertEquals("terminate", call.param("InstanceInterruptionBehavior"));
        assertEquals("0.42", call.param("SpotPrice"));
        assertEquals("1", call.param("InstanceCount"));
        assertEquals(seed.imageId(), call.param("LaunchSpecification.ImageId"));
        assertEquals("t3.micro", call.param("LaunchSpecification.InstanceType"));
        assertEquals(seed.keyName(), call.param("LaunchSpecification.KeyName"));
        assertEquals("true", call.param("LaunchSpecification.EbsOptimized"));
        assertEquals(ZONE, call.param("LaunchSpecification.Placement.AvailabilityZone"));
        assertEquals("/dev/sda1", call.param("LaunchSpecification.BlockDeviceMapping.1.DeviceName"));
        assertEquals("gp3", call.param("LaunchSpecification.BlockDeviceMapping.1.Ebs.VolumeType"));
        assertEquals("30", call.param("LaunchSpecification.BlockDeviceMapping.1.Ebs.VolumeSize"));
        assertEquals("true", call.param("LaunchSpecification.BlockDeviceMapping.1.Ebs.DeleteOnTermination"));
        assertEquals("0", call.param("LaunchSpecification.NetworkInterface.1.DeviceIndex"));
        assertEquals(seed.subnetId(), call.param("LaunchSpecification.NetworkInterface.1.SubnetId"));
        assertEquals(seed.securityGroupId(), call.param("LaunchSpecification.NetworkInterface.1.SecurityGroupId.1"));
        assertEquals("true", call.param("LaunchSpecification.NetworkInterface.1.AssociatePublicIpAddress"));
        assertEquals(null, call.param("LaunchSpecification.SecurityGroupId.1"));
        assertEquals("spotter-role", call.param("LaunchSpecification.IamInstanceProfile.Name"));
        assertEquals("spot-instances-request", call.param("TagSpecification.1.ResourceType"));
        assertEquals("Name", call.param("TagSpecification.1.Tag.1.Key"));
        assertEquals("spotter", call.param("TagSpecification.1.Tag.1.Value"));
        assertEquals("ec2spotter:volume", call.param("TagSpecification.1.Tag.2.Key"));
        assertEquals(volume, call.param("TagSpecification.1.Tag.2.Value"));

        String script = userData(call);
        assertTrue(script.startsWith("#!/bin/sh"), script);
        assertTrue(script.contains("\nvolume_id='" + volume + "'\n"), script);
        assertTrue(script.contains("\nvolume_name='spotter'\n"), script);
        assertTrue(script.contains("\nregion='us-east-1'\n"), script);
        assertTrue(script.contains("\nec2_endpoint=''\n"), "the script names EC2 from the partition IMDS gives: " + script);
        assertTrue(script.contains("\nelastic_ip='eipalloc-0123456789abcdef0'\n"), script);
        assertTrue(script.contains("\ninstance_name='my box'\n"), script);
        assertTrue(script.contains("\ninterruption_hooks='yes'\n"), script);
        assertTrue(script.contains("\nsecret_access_key=''\n"), "no keys without the opt-in: " + script);
        assertFalse(script.contains(Moto.SECRET_ACCESS_KEY));
    }

    @Test
    void awsCliCredentialsFileWithProfileAndSessionTokenSignsTheCalls() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        Path creds = dir.resolve("credentials");
        Files.writeString(creds, """
                [default]
                aws_access_key_id = AKIDDEFAULT000000000
                aws_secret_access_key = default-secret-000000000000
                [work]
                aws_access_key_id = ASIAWORKPROFILE00000
                aws_secret_access_key = work-secret-key-0000000000000
                aws_session_token = work-session-token-000000000000
                """);
        Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-------"));

        Jar.Result r = jar.run("launch", conf("").toString(), creds.toString(), "--profile", "work", "-v");

        assertEquals(0, r.exitCode(), r::toString);
        Moto.Call call = moto.calls("RequestSpotInstances").get(0);
        assertTrue(call.headers().get("Authorization").contains("Credential=ASIAWORKPROFILE00000/"),
                call.headers().get("Authorization"));
        assertEquals("work-session-token-000000000000", call.headers().get("X-Amz-Security-Token"));
        for (String secret : List.of("work-secret-key-0000000000000", "work-session-token-000000000000")) {
            assertFalse(r.stdout().contains(secret) || r.stderr().contains(secret), "secret printed: " + r);
        }
    }

    @Test
    void credentialsFromTheEnvironmentWhenNoFileIsGiven() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        jar.env("AWS_ACCESS_KEY_ID", "AKIDFROMENVIRONMENT0").env("AWS_SECRET_ACCESS_KEY", "env-secret-0000000000000");

        Jar.Result r = jar.run("launch", conf("").toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(moto.calls("RequestSpotInstances").get(0).headers().get("Authorization")
                .contains("Credential=AKIDFROMENVIRONMENT0/"));
        assertTrue(r.stderr().contains("ec2spotter_iam_instance_profile is not set"), r::toString);
    }

    @Test
    void credentialsFileReadableByOthersGetsAWarning() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        Path creds = legacyCreds();
        Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-r--r--"));

        Jar.Result r = jar.run("launch", conf("").toString(), creds.toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("chmod 600 " + creds), r::toString);
    }

    @Test
    void missingVolumeFailsWithoutRequesting() throws Exception {
        Jar.Result r = jar.run("launch", conf("").toString(), legacyCreds().toString());

        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("no EBS volume tagged Name=spotter in us-east-1"), r::toString);
        assertEquals("", r.stdout());
        assertTrue(moto.calls("RequestSpotInstances").isEmpty());
    }

    @Test
    void twoVolumesWithTheSameNameAreListed() throws Exception {
        String a = Seed.volume(ec2, ZONE, "spotter");
        String b = Seed.volume(ec2, "us-east-1b", "spotter");

        Jar.Result r = jar.run("launch", conf("").toString(), legacyCreds().toString());

        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains(a + " (" + ZONE + ")") && r.stderr().contains(b + " (us-east-1b)"), r::toString);
        assertTrue(moto.calls("RequestSpotInstances").isEmpty());
    }

    @Test
    void volumeInAnotherZoneNamesBothZones() throws Exception {
        String volume = Seed.volume(ec2, "us-east-1c", "spotter");

        Jar.Result r = jar.run("launch", conf("").toString(), legacyCreds().toString());

        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains(volume + " (Name=spotter) is in us-east-1c but ec2spotter_launch_zone is "
                + ZONE), r::toString);
        assertTrue(moto.calls("RequestSpotInstances").isEmpty());
    }

    @Test
    void volumeAttachedToARunningInstanceIsRefused() throws Exception {
        String volume = Seed.volume(ec2, ZONE, "spotter");
        String instance = ec2.runInstances(r -> r.imageId(seed.imageId()).minCount(1).maxCount(1)
                .placement(p -> p.availabilityZone(ZONE))).instances().get(0).instanceId();
        ec2.attachVolume(r -> r.volumeId(volume).instanceId(instance).device("/dev/sdf"));

        Jar.Result r = jar.run("launch", conf("").toString(), legacyCreds().toString());

        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("attached to instance " + instance + " (running)"), r::toString);
        assertTrue(moto.calls("RequestSpotInstances").isEmpty());
    }

    @Test
    void dryRunAsksEc2AndRequestsNothing() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");

        Jar.Result r = jar.run("launch", "--dry-run", conf("").toString(), legacyCreds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().startsWith("Dry run: EC2 would accept"), r::toString);
        assertEquals("true", moto.calls("RequestSpotInstances").get(0).param("DryRun"));
        assertTrue(ec2.describeSpotInstanceRequests().spotInstanceRequests().isEmpty());
    }

    @Test
    void instanceTypeOptionOverridesTheConfAndOneTimeRequestsAreHonoured() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");

        Jar.Result r = jar.run("launch", "--instance-type", "g4dn.xlarge",
                conf("ec2spotter_request_type=one-time\n").toString(), legacyCreds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        Moto.Call call = moto.calls("RequestSpotInstances").get(0);
        assertEquals("g4dn.xlarge", call.param("LaunchSpecification.InstanceType"));
        assertEquals("one-time", call.param("Type"));
        assertEquals(null, call.param("SpotPrice"), "no price: capped at on-demand by EC2");
    }

    @Test
    void badConfValuesExitTwoBeforeAnyAwsCall() throws Exception {
        Path conf = conf("""
                ec2spotter_subnet=sub-123
                ec2spotter_bid_price=-1
                """);

        Jar.Result r = jar.run("launch", conf.toString(), legacyCreds().toString());

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains(conf + ":6: ec2spotter_subnet: 'sub-123' is not valid"), r::toString);
        assertTrue(r.stderr().contains(conf + ":7: ec2spotter_bid_price: '-1' is not valid"), r::toString);
        assertFalse(r.stderr().contains("Exception"), r::toString);
        assertTrue(moto.calls().isEmpty(), "no AWS call at all");
    }

    @Test
    void stopBehaviourNeedsAPersistentRequest() throws Exception {
        Jar.Result r = jar.run("launch", conf("ec2spotter_request_type=one-time\nec2spotter_interruption_behavior=stop\n")
                .toString(), legacyCreds().toString());

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("needs ec2spotter_request_type=persistent"), r::toString);
        assertTrue(moto.calls().isEmpty());
    }

    @Test
    void unreachableEndpointIsOneClearLine() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        jar.env("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:" + closedPort);

        Jar.Result r = jar.run("launch", conf("").toString(), legacyCreds().toString());

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("error: DescribeVolumes failed: cannot connect to EC2 at http://127.0.0.1:" + closedPort
                + " (Connection refused)\n", r.stderr().lines().filter(l -> l.startsWith("error:")).findFirst()
                .orElse("") + "\n", r::toString);
        assertFalse(r.stderr().contains("\tat "), "no stack trace without -v: " + r);
    }

    @Test
    void userDataPrintsTheScriptWithoutAnyAwsCall() throws Exception {
        Jar.Result r = jar.run("user-data", conf("ec2spotter_instance_name='it'\\''s $(reboot)'\n").toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().startsWith("#!/bin/sh\n"), r::toString);
        assertTrue(r.stdout().contains("\nvolume_name='spotter'\n"), r::toString);
        assertTrue(r.stdout().contains("\ninstance_name='it'\\''s $(reboot)'\n"), r::toString);
        assertTrue(moto.calls().isEmpty());
    }

    @Test
    void theInterruptionHooksKeyReachesTheBootScript() throws Exception {
        Jar.Result r = jar.run("user-data", conf("ec2spotter_interruption_hooks=no\n").toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("\ninterruption_hooks='no'\n"), r::toString);
    }

    private Path conf(String extra) throws IOException {
        Path conf = dir.resolve("spotter.conf");
        Files.writeString(conf, """
                # test conf
                ec2spotter_volume_name=spotter
                ec2spotter_launch_zone=%s
                ec2spotter_preboot_image_id=%s
                ec2spotter_instance_type=t3.micro
                """.formatted(ZONE, seed.imageId()) + extra);
        return conf;
    }

    private Path legacyCreds() throws IOException {
        Path creds = dir.resolve(".aws.creds");
        Files.writeString(creds, "AWSAccessKeyId=" + Moto.ACCESS_KEY_ID + "\nAWSSecretKey=" + Moto.SECRET_ACCESS_KEY + "\n");
        Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-------"));
        return creds;
    }

    private static String userData(Moto.Call call) throws IOException {
        byte[] bytes = Base64.getDecoder().decode(call.param("LaunchSpecification.UserData"));
        if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            bytes = new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
