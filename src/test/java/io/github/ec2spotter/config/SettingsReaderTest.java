package io.github.ec2spotter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.config.LaunchSettings.InterruptionBehavior;
import io.github.ec2spotter.config.LaunchSettings.RequestType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every conf value is checked before any AWS call, and an error names file, line and key. */
class SettingsReaderTest {
    private static final String REQUIRED = """
            ec2spotter_volume_name=spotter
            ec2spotter_launch_zone=us-east-1d
            ec2spotter_preboot_image_id=ami-0abcdef1234567890
            ec2spotter_instance_type=g4dn.xlarge
            """;

    private static SettingsReader.Result read(String text) {
        return SettingsReader.read(ConfFile.parse(Path.of("my.conf"), text));
    }

    private static InputException error(String text) {
        return assertThrows(InputException.class, () -> read(text));
    }

    @Test
    void requiredKeysAloneGiveTheDefaults() {
        LaunchSettings s = read(REQUIRED).settings();
        assertEquals("spotter", s.volumeName());
        assertEquals("us-east-1d", s.launchZone());
        assertEquals("us-east-1d", s.volumeZone());
        assertEquals("us-east-1", s.region());
        assertEquals("ami-0abcdef1234567890", s.prebootImageId());
        assertEquals("g4dn.xlarge", s.instanceType());
        assertEquals(RequestType.PERSISTENT, s.requestType());
        assertEquals(InterruptionBehavior.TERMINATE, s.interruptionBehavior());
        assertEquals(Optional.empty(), s.bidPrice());
        assertEquals(Optional.empty(), s.rootSizeGib());
        assertEquals(List.of(), s.securityGroups());
        assertEquals(false, s.embedCredentials());
        assertTrue(s.interruptionHooks());
        assertEquals(LaunchSettings.Kernel.AUTO, s.kernel());
        assertTrue(s.keepHostKeys());
        assertEquals(Optional.empty(), s.sshUser());
        assertEquals(Optional.empty(), s.sshKey());
    }

    @Test
    void everyOptionalKeyIsRead() {
        LaunchSettings s = read(REQUIRED + """
                ec2spotter_volume_zone=us-west-2-lax-1a
                ec2spotter_key_name='my key'
                ec2spotter_subnet=subnet-0abc1234
                ec2spotter_security_group=sg-0abc1234,sg-0123456789abcdef0
                ec2spotter_bid_price=0.30
                ec2spotter_elastic_ip=eipalloc-0abc1234
                ec2spotter_instance_name='my spot box'
                ec2spotter_iam_instance_profile=arn:aws:iam::123456789012:instance-profile/team/ec2spotter
                ec2spotter_root_size_gib=30
                ec2spotter_request_type=persistent
                ec2spotter_interruption_behavior=hibernate
                ec2spotter_embed_credentials=yes
                ec2spotter_interruption_hooks=no
                ec2spotter_keep_host_keys=no
                ec2spotter_kernel=volume
                ec2spotter_ssh_user=ec2-user
                ec2spotter_ssh_key='~/.ssh/my key.pem'
                """).settings();
        assertEquals("us-west-2-lax-1a", s.volumeZone());
        assertEquals("us-west-2", s.volumeRegion());
        assertEquals(Optional.of("my key"), s.keyName());
        assertEquals(Optional.of("subnet-0abc1234"), s.subnet());
        assertEquals(List.of("sg-0abc1234", "sg-0123456789abcdef0"), s.securityGroups());
        assertEquals(Optional.of(new BigDecimal("0.30")), s.bidPrice());
        assertEquals(Optional.of("eipalloc-0abc1234"), s.elasticIp());
        assertEquals(Optional.of("my spot box"), s.instanceName());
        assertEquals(Optional.of("arn:aws:iam::123456789012:instance-profile/team/ec2spotter"), s.iamInstanceProfile());
        assertEquals(Optional.of(30), s.rootSizeGib());
        assertEquals(InterruptionBehavior.HIBERNATE, s.interruptionBehavior());
        assertTrue(s.embedCredentials());
        assertFalse(s.interruptionHooks());
        assertFalse(s.keepHostKeys());
        assertEquals(LaunchSettings.Kernel.VOLUME, s.kernel());
        assertEquals(Optional.of("ec2-user"), s.sshUser());
        assertEquals(Optional.of("~/.ssh/my key.pem"), s.sshKey());
    }

    /**
     * example.conf is what users copy, and the README's table is where they look a key up: neither
     * may miss one (embed_credentials, discouraged, is left out of the example on purpose).
     */
    @Test
    void everyKeyIsInExampleConfAndInTheReadmeTable() throws java.io.IOException {
        String example = java.nio.file.Files.readString(Path.of("example.conf"));
        String readme = java.nio.file.Files.readString(Path.of("README.md"));
        for (String key : SettingsReader.KNOWN_KEYS) {
            assertTrue(key.equals("embed_credentials") || example.contains("ec2spotter_" + key + "="),
                    key + " missing from example.conf");
            assertTrue(readme.contains("\n| `" + key + "` |"), key + " missing from the README's conf key table");
        }
        // Uncommented, the example's lines are a valid conf.
        String uncommented = example.lines().map(l -> l.startsWith("#ec2spotter_") ? l.substring(1) : l)
                .filter(l -> !l.startsWith("ec2spotter_volume_zone="))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertEquals(Optional.of("ubuntu"), read(uncommented).settings().sshUser());
    }

    @Test
    void missingRequiredKeysAreAllReportedTogether() {
        InputException e = error("ec2spotter_key_name=k\n");
        String[] lines = e.getMessage().split("\n");
        assertEquals(4, lines.length, e.getMessage());
        assertEquals("my.conf: ec2spotter_volume_name is missing; set it to the Name tag of your persistent root volume",
                lines[0]);
        assertTrue(lines[1].startsWith("my.conf: ec2spotter_launch_zone is missing"), lines[1]);
        assertTrue(lines[2].startsWith("my.conf: ec2spotter_preboot_image_id is missing"), lines[2]);
        assertTrue(lines[3].startsWith("my.conf: ec2spotter_instance_type is missing"), lines[3]);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "launch_zone          | useast1d             | an availability zone",
            "launch_zone          | US-EAST-1D           | an availability zone",
            "volume_zone          | us-east-1-           | an availability zone",
            "preboot_image_id     | ami-xyz              | an AMI id",
            "preboot_image_id     | ami-0abc123          | an AMI id",
            "preboot_image_id     | snap-0abcdef1        | an AMI id",
            "instance_type        | g4dn                 | an instance type",
            "instance_type        | G4DN.XLARGE          | an instance type",
            "subnet               | subnet-zzzzzzzz      | a subnet id",
            "security_group       | sg-0abc1234,         | one or more security group ids",
            "security_group       | default              | one or more security group ids",
            "elastic_ip           | 3.3.3.3              | an Elastic IP allocation id",
            "bid_price            | 0                    | a positive price",
            "bid_price            | -1                   | a positive price",
            "bid_price            | 1e3                  | a positive price",
            "bid_price            | 0.3.0                | a positive price",
            "root_size_gib        | 0                    | a whole number of GiB",
            "root_size_gib        | 20000                | a whole number of GiB",
            "root_size_gib        | 8GB                  | a whole number of GiB",
            "request_type         | one_time             | persistent or one-time",
            "interruption_behavior| reboot               | terminate, stop or hibernate",
            "embed_credentials    | true                 | yes or no",
            "interruption_hooks   | off                  | yes or no",
            "keep_host_keys       | false                | yes or no",
            "kernel               | own                  | auto, volume or ami",
            "kernel               | AMI                  | auto, volume or ami",
            "ssh_user             | Ubuntu               | a user name such as ubuntu",
            "ssh_user             | -oProxyCommand=x     | a user name such as ubuntu",
            "ssh_user             | root@host            | a user name such as ubuntu",
            "ssh_user             | 1admin               | a user name such as ubuntu",
            "iam_instance_profile | my/profile           | an instance profile name or ARN",
    })
    void invalidValuesNameFileLineKeyAndWhatWasExpected(String key, String value, String expected) {
        // The key's line comes last, replacing the required line of the same key.
        String others = REQUIRED.lines().filter(l -> !l.startsWith("ec2spotter_" + key + "="))
                .map(l -> l + "\n").collect(java.util.stream.Collectors.joining());
        int line = (int) others.lines().count() + 1;
        InputException e = error(others + "ec2spotter_" + key + "=" + value + "\n");
        assertTrue(e.getMessage().startsWith("my.conf:" + line + ": ec2spotter_" + key + ": '" + value
                + "' is not valid; expected " + expected), e.getMessage());
    }

    @Test
    void controlCharactersInNamesAreRefusedAndShownEscaped() {
        InputException e = error(REQUIRED.replace("=spotter", "=\"a\tb\""));
        assertTrue(e.getMessage().startsWith("my.conf:1: ec2spotter_volume_name: 'a\\x09b' is not valid"), e.getMessage());
    }

    @Test
    void anSshKeyPathWithAControlCharacterIsRefused() {
        InputException e = error(REQUIRED + "ec2spotter_ssh_key=\"key\tfile\"\n");
        assertTrue(e.getMessage().startsWith("my.conf:5: ec2spotter_ssh_key: 'key\\x09file' is not valid; expected the"
                + " path of an ssh private key file"), e.getMessage());
    }

    @Test
    void stopAndHibernateNeedAPersistentRequest() {
        InputException e = error(REQUIRED + "ec2spotter_request_type=one-time\nec2spotter_interruption_behavior=stop\n");
        assertTrue(e.getMessage().startsWith("my.conf:6: ec2spotter_interruption_behavior: stop needs "
                + "ec2spotter_request_type=persistent"), e.getMessage());
    }

    @Test
    void unknownEc2spotterKeysAreWarnedAboutWithTheirLine() {
        List<String> warnings = read(REQUIRED + "ec2spotter_bidprice=0.3\n").warnings();
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("my.conf:5: ec2spotter_bidprice is not a known setting; ignored"),
                warnings.get(0));
    }

    @Test
    void aMistypedKeyIsNamedWithItsLineAndTheKeyItMeans() {
        List<String> warnings = read(REQUIRED + "ec2spotter_bidprice=0.3\n").warnings();
        assertEquals(List.of("my.conf:5: ec2spotter_bidprice is not a known setting; ignored (did you mean"
                + " ec2spotter_bid_price?)"), warnings);
    }

    /** The typo of a required key: the "missing" error and the line that holds the typo, in one run. */
    @Test
    void aMistypedRequiredKeyIsReportedWithTheMissingOne() {
        InputException e = error(REQUIRED.replace("ec2spotter_instance_type=", "ec2spotter_instance_typ="));
        assertEquals("my.conf: ec2spotter_instance_type is missing; set it to the instance type, e.g. g4dn.xlarge\n"
                + "my.conf:4: ec2spotter_instance_typ is not a known setting; ignored (did you mean"
                + " ec2spotter_instance_type?)", e.getMessage());
    }

    @Test
    void aKeyFarFromEveryKnownOneListsThemAll() {
        List<String> warnings = read(REQUIRED + "ec2spotter_colour=blue\n").warnings();
        assertTrue(warnings.get(0).startsWith("my.conf:5: ec2spotter_colour is not a known setting; ignored (known: "
                + "bid_price, "), warnings.get(0));
    }

    @Test
    void anEmptyRequiredValueSaysItIsEmptyWithItsLine() {
        InputException e = error(REQUIRED.replace("ec2spotter_instance_type=g4dn.xlarge", "ec2spotter_instance_type="));
        assertEquals("my.conf:4: ec2spotter_instance_type is empty; set it to the instance type, e.g. g4dn.xlarge",
                e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "us-east-1  | us-east-1 is a region, not an availability zone: add the zone letter, e.g. us-east-1a",
            "us-east-1z | no availability zone ends in 'z': zones of us-east-1 are us-east-1a, us-east-1b and so on",
    })
    void aZoneOfTheWrongShapeSaysWhatIsWrong(String zone, String problem) {
        InputException e = error(REQUIRED.replace("us-east-1d", zone));
        assertEquals("my.conf:2: ec2spotter_launch_zone: '" + zone + "' is not valid; " + problem, e.getMessage());
    }
}
