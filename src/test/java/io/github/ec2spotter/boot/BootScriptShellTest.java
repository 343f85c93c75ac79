package io.github.ec2spotter.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot script template, the scripts rendered from it and the init stub it writes, read by
 * shellcheck, dash and busybox sh; hostile parameter values come out of the shell unchanged.
 */
class BootScriptShellTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        Shells.require("shellcheck", "shellcheck");
        Shells.require("dash", "dash");
        Shells.require("busybox", "busybox-static");
    }

    /** Values that would break out of a badly quoted shell word. */
    static final String HOSTILE = "it's \"quoted\" $(touch CANARY) `touch CANARY` ${HOME:-x} \\ & ; | < > *\n"
            + "second line'; touch CANARY; echo '\t\u00e9\u2603 ~!#%^";

    static Map<String, Map<String, String>> parameterSets() {
        Map<String, Map<String, String>> sets = new LinkedHashMap<>();
        sets.put("typical", Map.of(
                "volume_id", "vol-0123456789abcdef0", "volume_name", "my-volume", "region", "eu-west-1",
                "ec2_endpoint", "https://ec2.eu-west-1.amazonaws.com", "elastic_ip", "eipalloc-0abc1234",
                "instance_name", "dev box"));
        sets.put("unknown volume id, no options", Map.of(
                "volume_id", "", "volume_name", "data", "region", "us-east-1",
                "ec2_endpoint", "https://ec2.us-east-1.amazonaws.com"));
        sets.put("embedded keys", Map.of(
                "volume_id", "vol-0123456789abcdef0", "volume_name", "v", "region", "us-east-1",
                "access_key_id", "AKIAEXAMPLEEXAMPLE01", "secret_access_key", "abc/def+ghi'jkl\"mno$pqr",
                "session_token", "tok/en+==$(x)"));
        Map<String, String> hostile = new LinkedHashMap<>();
        for (String name : BootScript.parameterNames()) {
            hostile.put(name, HOSTILE + name);
        }
        sets.put("hostile values in every parameter", hostile);
        return sets;
    }

    @Test
    void templateIsCleanUnderShellcheckDashAndBusybox() throws IOException {
        checkSyntax(write("boot.sh", Shells.template()));
    }

    @Test
    void renderedScriptsAreCleanUnderShellcheckDashAndBusybox() throws IOException {
        for (var set : parameterSets().entrySet()) {
            Path script = write(set.getKey().replaceAll("\\W+", "-") + ".sh", BootScript.render(set.getValue()).text());
            checkSyntax(script);
        }
    }

    @Test
    void everyParameterReachesTheShellUnchanged() throws IOException {
        for (var set : parameterSets().entrySet()) {
            Path script = write("params.sh", BootScript.render(set.getValue()).text());
            List<String> names = new ArrayList<>(BootScript.parameterNames());
            StringBuilder driver = new StringBuilder("EC2SPOTTER_LIBRARY=yes . \"$1\"\nprintf '%s\\0'");
            for (String name : names) {
                driver.append(" \"$").append(name).append('"');
            }
            Path driverFile = write("print-params.sh", driver + "\n");
            for (List<String> shell : Shells.POSIX_SHELLS) {
                Shells.Result r = Shells.run(Shells.with(shell, driverFile.toString(), script.toString()),
                        Map.of(), dir, java.time.Duration.ofSeconds(30));
                assertEquals(0, r.exit(), set.getKey() + " under " + shell + ": " + r.both());
                String[] printed = r.stdout().split("\0", -1);
                assertEquals(names.size() + 1, printed.length, r.stdout());
                for (int i = 0; i < names.size(); i++) {
                    String expected = set.getValue().getOrDefault(names.get(i), templateDefault(names.get(i)));
                    assertEquals(expected, printed[i], set.getKey() + ": parameter " + names.get(i) + " under " + shell);
                }
                assertFalse(Files.exists(dir.resolve("CANARY")), "a parameter value ran a command under " + shell);
            }
        }
    }

    @Test
    void theInitStubIsCleanUnderShellcheckDashAndBusybox() throws IOException {
        Path script = write("boot.sh", BootScript.render(parameterSets().get("typical")).text());
        Path stub = dir.resolve("init");
        Path driver = write("stub.sh", "EC2SPOTTER_LIBRARY=yes . \"$1\"\nwrite_stub \"$2\" 0b6c3a5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b /sbin/ec2spotter-init\n");
        Shells.ok(List.of("dash", driver.toString(), script.toString(), stub.toString()));
        String text = Files.readString(stub);
        assertTrue(text.startsWith("#!/bin/sh\n"), text);
        assertTrue(text.contains("\nuuid='0b6c3a5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b'\nself='/sbin/ec2spotter-init'\n"), text);
        assertTrue(text.contains("vol-0123456789abcdef0"), text);
        checkSyntax(stub);
    }

    /** The kernel entry's script and unit the boot script writes onto the volume are the resources, byte for byte. */
    @Test
    void theBootScriptCarriesTheKernelEntryAndItsUnitUnchanged() throws IOException {
        Path script = write("boot.sh", BootScript.render(parameterSets().get("typical")).text());
        Path driver = write("files.sh", "EC2SPOTTER_LIBRARY=yes . \"$1\"\nkernel_entry_script >\"$2\"\nkernel_entry_unit >\"$3\"\n");
        Path entry = dir.resolve("kernel-entry.sh");
        Path unit = dir.resolve("ec2spotter-kernel-entry.service");
        Shells.ok(List.of("dash", driver.toString(), script.toString(), entry.toString(), unit.toString()));
        assertEquals(BootScript.renderResource("kernel-entry.sh", Map.of()), Files.readString(entry));
        assertEquals(BootScript.renderResource("ec2spotter-kernel-entry.service", Map.of()), Files.readString(unit));
        checkSyntax(entry);
    }

    @Test
    void theWatcherIsCleanUnderShellcheckDashAndBusybox() throws IOException {
        checkSyntax(write("watcher.sh", BootScript.renderResource("watcher.sh", Map.of())));
    }

    /** What the boot script writes onto the volume is watcher.sh and the unit, byte for byte, rendered alike. */
    @Test
    void theBootScriptCarriesTheWatcherAndItsUnitUnchanged() throws IOException {
        for (var set : parameterSets().entrySet()) {
            Path script = write("boot.sh", BootScript.render(set.getValue()).text());
            Path driver = write("files.sh", "EC2SPOTTER_LIBRARY=yes . \"$1\"\nwatcher_script >\"$2\"\nwatcher_unit >\"$3\"\n");
            Path watcher = dir.resolve("watcher.sh");
            Path unit = dir.resolve("ec2spotter-watcher.service");
            Shells.ok(List.of("dash", driver.toString(), script.toString(), watcher.toString(), unit.toString()));
            assertEquals(BootScript.renderResource("watcher.sh", set.getValue()), Files.readString(watcher), set.getKey());
            assertEquals(BootScript.renderResource("ec2spotter-watcher.service", Map.of()), Files.readString(unit),
                    set.getKey());
            checkSyntax(watcher);
            Path print = write("print-url.sh", "EC2SPOTTER_LIBRARY=yes . \"$1\"\nprintf '%s' \"$imds_url\"\n");
            for (List<String> shell : Shells.POSIX_SHELLS) {
                Shells.Result r = Shells.run(Shells.with(shell, print.toString(), watcher.toString()), Map.of(), dir,
                        java.time.Duration.ofSeconds(30));
                assertEquals(0, r.exit(), r.both());
                assertEquals(set.getValue().getOrDefault("imds_url", templateDefault("imds_url")), r.stdout(),
                        set.getKey() + " under " + shell);
            }
            assertFalse(Files.exists(dir.resolve("CANARY")), "a parameter value ran a command in the watcher");
        }
    }

    /** A value reaching the watcher is the boot script's own; any other would be a name clash. */
    @Test
    void theWatcherSharesOnlyTheMetadataUrlWithTheBootScript() throws IOException {
        Path watcher = write("watcher.sh", BootScript.renderResource("watcher.sh", Map.of()));
        Path driver = write("names.sh", "EC2SPOTTER_LIBRARY=yes . \"$1\"\nprintf '%s\\n' \"$imds_url\"\n");
        assertEquals("http://169.254.169.254\n", Shells.ok(List.of("dash", driver.toString(), watcher.toString())));
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : BootScript.parameterNames()) {
            values.put(name, "value of " + name);
        }
        String rendered = BootScript.renderResource("watcher.sh", values);
        List<String> shared = BootScript.parameterNames().stream()
                .filter(name -> rendered.contains("\n" + name + "='value of " + name + "'\n")).toList();
        assertEquals(List.of("imds_url"), shared);
    }

    @Test
    void aValueThatWouldEndTheWatchersHeredocIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BootScript.render(Map.of("imds_url", "http://x\nEC2SPOTTER_END_OF_FILE\ntouch CANARY\n")));
        assertTrue(e.getMessage().contains("watcher.sh would hold the line EC2SPOTTER_END_OF_FILE"), e.getMessage());
    }

    /** EC2 indents its XML; moto (BootScriptIT) does not. The same fields come out of both. */
    @Test
    void readsVolumeFieldsFromIndentedXml() throws IOException {
        Path xml = write("describe-volumes.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <DescribeVolumesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
                    <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
                    <volumeSet>
                        <item>
                            <volumeId>vol-0123456789abcdef0</volumeId>
                            <size>80</size>
                            <snapshotId/>
                            <availabilityZone>us-east-1d</availabilityZone>
                            <status>in-use</status>
                            <createTime>2024-05-01T10:00:00.000Z</createTime>
                            <attachmentSet>
                                <item>
                                    <volumeId>vol-0123456789abcdef0</volumeId>
                                    <instanceId>i-0aaaabbbbccccdddd</instanceId>
                                    <device>/dev/sdf</device>
                                    <status>detaching</status>
                                    <attachTime>2024-05-02T10:00:00.000Z</attachTime>
                                    <deleteOnTermination>false</deleteOnTermination>
                                </item>
                            </attachmentSet>
                            <tagSet>
                                <item>
                                    <key>Owner</key>
                                    <value>Name</value>
                                </item>
                                <item>
                                    <key>Name</key>
                                    <value>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;</value>
                                </item>
                            </tagSet>
                            <volumeType>gp3</volumeType>
                            <encrypted>false</encrypted>
                        </item>
                    </volumeSet>
                </DescribeVolumesResponse>
                """);
        Path script = write("boot.sh", Shells.template());
        Path driver = write("fields.sh", "EC2SPOTTER_LIBRARY=yes . \"$1\"\nx=$(xml_lines <\"$2\")\n"
                + "for f in status zone attached_to attachment name; do printf '%s\\n' \"$x\" | volume_field $f; done\n");
        for (List<String> shell : Shells.POSIX_SHELLS) {
            assertEquals("in-use\nus-east-1d\ni-0aaaabbbbccccdddd\ndetaching\na & b <c> \"d\" 'e'\n",
                    Shells.ok(Shells.with(shell, driver.toString(), script.toString(), xml.toString())), shell.toString());
        }
    }

    @Test
    void userDataFitsTheLimitAndUnpacksToTheTestedScript() throws IOException {
        for (var set : parameterSets().entrySet()) {
            BootScript script = BootScript.render(set.getValue());
            byte[] userData = script.userData();
            assertTrue(userData.length <= BootScript.USER_DATA_LIMIT, set.getKey() + ": " + userData.length + " bytes");
            byte[] text = script.text().getBytes(StandardCharsets.UTF_8);
            byte[] unpacked = text.length <= BootScript.USER_DATA_LIMIT ? userData
                    : new GZIPInputStream(new ByteArrayInputStream(userData)).readAllBytes();
            assertArrayEquals(text, unpacked, set.getKey());
        }
    }

    private static String templateDefault(String name) {
        for (String line : Shells.template().split("\n")) {
            if (line.startsWith(name + "='")) {
                return line.substring(name.length() + 2, line.length() - 1);
            }
        }
        throw new AssertionError("no default for " + name);
    }

    /**
     * A clone of an Ubuntu image mounts its ESP and /boot by labels the pre-boot disk has too:
     * those entries name the volume's partitions by their fresh PARTUUIDs, the root entry the
     * root filesystem's new UUID; every other line is passed on byte for byte.
     */
    @Test
    void theVolumesFstabNamesItsOwnPartitionsUnambiguously() throws IOException {
        String fstab = """
                # /etc/fstab: static file system information.
                LABEL=cloudimg-rootfs\t/\t ext4\tdiscard,errors=remount-ro\t0 1
                LABEL=BOOT\t/boot\text4\tdefaults\t0 2
                  LABEL=UEFI  /boot/efi  vfat  umask=0077  0 1
                UUID=0000-aaaa /srv vfat defaults 0 2
                PARTUUID=5e5e0a11-0000-0000-0000-00000000000e none swap sw 0 0
                UUID=9a9a9a9a-1111-2222-3333-444444444444 /data ext4 nofail 0 2
                tmpfs /tmp tmpfs defaults 0 0
                LABEL=UEFI""";
        String expected = """
                # /etc/fstab: static file system information.
                UUID=1e1e1e1e-0000-4000-8000-000000000001\t/\t ext4\tdiscard,errors=remount-ro\t0 1
                PARTUUID=22222222-0000-4000-8000-000000000010\t/boot\text4\tdefaults\t0 2
                  PARTUUID=22222222-0000-4000-8000-00000000000f  /boot/efi  vfat  umask=0077  0 1
                PARTUUID=22222222-0000-4000-8000-00000000000f /srv vfat defaults 0 2
                PARTUUID=22222222-0000-4000-8000-00000000000e none swap sw 0 0
                UUID=9a9a9a9a-1111-2222-3333-444444444444 /data ext4 nofail 0 2
                tmpfs /tmp tmpfs defaults 0 0
                PARTUUID=22222222-0000-4000-8000-00000000000f
                """;
        Path in = write("fstab", fstab);
        Path script = write("boot.sh", Shells.template());
        Path driver = write("fstab.sh", "EC2SPOTTER_LIBRARY=yes . \"$1\"\n"
                + "fs_uuid=1e1e1e1e-0000-4000-8000-000000000001\n"
                + "disk_ids='1 5e5e0a11-0000-0000-0000-000000000001 22222222-0000-4000-8000-000000000001 cloudimg-rootfs 5e5e0a11-7e57-4b00-8000-00000000d001\n"
                + "13 5e5e0a11-0000-0000-0000-00000000000d 22222222-0000-4000-8000-00000000000d - -\n"
                + "14 5e5e0a11-0000-0000-0000-00000000000e 22222222-0000-4000-8000-00000000000e - -\n"
                + "15 5e5e0a11-0000-0000-0000-00000000000f 22222222-0000-4000-8000-00000000000f UEFI 0000-aaaa\n"
                + "16 5e5e0a11-0000-0000-0000-000000000010 22222222-0000-4000-8000-000000000010 BOOT 5e5e0a11-0000-0000-0000-0000000000b0'\n"
                + "fstab_changes=0\nfstab_fixed <\"$2\"\necho \"changes=$fstab_changes\" >&2\n");
        for (List<String> shell : Shells.POSIX_SHELLS) {
            Shells.Result r = Shells.run(Shells.with(shell, driver.toString(), script.toString(), in.toString()));
            assertEquals(0, r.exit(), shell + ": " + r.both());
            assertEquals(expected, r.stdout(), shell.toString());
            assertTrue(r.stderr().contains("changes=6"), shell + ": " + r.stderr());
            assertTrue(r.stderr().contains("fstab: /boot/efi now PARTUUID=22222222-0000-4000-8000-00000000000f (was LABEL=UEFI)"),
                    shell + ": " + r.stderr());
        }
    }

    private void checkSyntax(Path script) {
        Shells.ok(List.of("shellcheck", "--shell=sh", "--severity=style", script.toString()));
        for (List<String> shell : Shells.POSIX_SHELLS) {
            Shells.ok(Shells.with(shell, "-n", script.toString()));
        }
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
