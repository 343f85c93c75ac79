package io.github.ec2spotter.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.ec2spotter.testing.FakeImds;
import io.github.ec2spotter.testing.Moto;
import io.github.ec2spotter.testing.Seed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;

/**
 * The boot script run for real by dash, the way cloud-init runs it, against moto_server and the
 * fake IMDS on loopback. Its destructive steps work on a scratch "sysroot" (the pre-boot disk:
 * /sbin/init, /var/lib/cloud, /var/log) and its device discovery on a scratch "devroot"
 * (/sys/block/nvme*&#47;device/serial and /dev/nvme*), where the disks are filesystem images made
 * by mke2fs and mkfs.xfs. The script mounts them (loop), so this suite runs as root. What it
 * cannot show, the init stub pivoting at boot, the QEMU suite (scripts/e2e-boot) proves.
 */
class BootScriptIT {
    static final String ZONE = "us-east-1d";
    static final String REGION = "us-east-1";
    static final String ROLE = "ec2spotter-role";
    static final String ROLE_KEY_ID = "ASIAROLEKEY000000001";
    static final String ROLE_SECRET = "role/secret+key=0000000000000000000000";
    static final String ROLE_TOKEN = "IQoJb3JpZ2luX2VjEBoaCXVzLWVhc3QtMSJGMEQCIF+role/token==";
    static final String EMBEDDED_KEY_ID = "AKIAEMBEDDEDKEY00001";
    static final String EMBEDDED_SECRET = "embedded/secret+key=000000000000000000";
    static final Pattern TIMESTAMPED = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ec2spotter: .+");

    @TempDir
    static Path shared;
    static Moto moto;
    static Ec2Client ec2;
    static FakeImds imds;

    @TempDir
    Path dir;
    Seed seed;
    String volumeId;
    String instanceId;
    Path sysroot;
    Path devroot;
    Path volumeImage;
    Path decoyImage;

    @BeforeAll
    static void start() throws Exception {
        for (String[] tool : new String[][] {{"dash", "dash"}, {"curl", "curl"}, {"sha256sum", "coreutils"},
            {"mke2fs", "e2fsprogs"}, {"debugfs", "e2fsprogs"}, {"tune2fs", "e2fsprogs"}, {"mkfs.xfs", "xfsprogs"},
            {"xfs_admin", "xfsprogs"}, {"blkid", "util-linux"}, {"python3", "python3"}}) {
            Shells.require(tool[0], tool[1]);
        }
        if (!"0".equals(Shells.ok(List.of("id", "-u")).trim())) {
            fail("BootScriptIT mounts filesystem images the way the boot script does on an instance: run it as root");
        }
        moto = Moto.start(shared);
        ec2 = moto.client(REGION);
        imds = FakeImds.start(shared);
    }

    @AfterAll
    static void stop() throws Exception {
        if (imds != null) {
            imds.close();
        }
        if (ec2 != null) {
            ec2.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void seed() throws IOException {
        moto.reset();
        seed = Seed.create(ec2, ZONE);
        volumeId = Seed.volume(ec2, ZONE, "persistent");
        instanceId = runInstance();
        imds.serve(instanceId, ZONE, REGION, ROLE, ROLE_KEY_ID, ROLE_SECRET, ROLE_TOKEN);
        Path run = Files.createTempDirectory(dir, "run");
        sysroot = prebootDisk(run.resolve("sysroot"));

        // Disks: nvme0n1 the pre-boot EBS root, nvme1n1 an instance-store disk that also holds a
        // bootable system (picking it by name would "work"), nvme2n1 the persistent volume.
        devroot = Files.createDirectories(run.resolve("devroot"));
        Files.createDirectories(devroot.resolve("dev"));
        disk("nvme0n1", "vol0aaaaaaaaaaaaaaaa");
        decoyImage = disk("nvme1n1", "AWS2C1436F5B4B5F0A27");
        ext4(decoyImage, true);
        volumeImage = disk("nvme2n1", "vol" + volumeId.substring("vol-".length()));
        // The running kernel supports ext4's metadata_csum_seed, as every kernel since 4.4 does.
        Files.writeString(Files.createDirectories(devroot.resolve("sys/fs/ext4/features")).resolve("metadata_csum_seed"),
                "supported\n");
        moto.clearRecording();
    }

    @Test
    void attachesTheVolumeAndInstallsTheStubOnExt4() throws Exception {
        ext4(volumeImage, true);
        String decoyBefore = blkid(decoyImage);
        String allocation = ec2.allocateAddress(r -> r.domain(DomainType.VPC)).allocationId();
        Map<String, String> params = params();
        params.put("elastic_ip", allocation);
        params.put("instance_name", "dev box 'α' & <b>");
        Shells.Result r = runBootScript(params);

        assertEquals(0, r.exit(), r.both());
        VolumeAttachment attachment = attachment();
        assertEquals(instanceId, attachment.instanceId());
        assertEquals("/dev/sdf", attachment.device());
        assertEquals("attached", attachment.stateAsString());

        String uuid = assertReidentified(volumeImage);
        assertStubInstalled(uuid);
        assertEquals(volumeId + "\n", debugfsCat(volumeImage, "/.ec2spotter-volume"));
        assertTrue(Shells.ok(List.of("debugfs", "-R", "stat /old-root", volumeImage.toString())).contains("directory"));
        assertEquals(decoyBefore, blkid(decoyImage), "the instance-store disk was touched");

        assertEquals(instanceId, ec2.describeAddresses(q -> q.allocationIds(allocation)).addresses().get(0).instanceId());
        assertEquals(List.of("dev box 'α' & <b>"), ec2.describeInstances(q -> q.instanceIds(instanceId)).reservations()
                .get(0).instances().get(0).tags().stream().filter(t -> t.key().equals("Name")).map(t -> t.value()).toList());

        assertEveryMetadataReadHadAToken();
        assertTrue(imds.requests().contains("GET /latest/meta-data/iam/security-credentials/" + ROLE + " 200 token=valid"));
        List<String> log = Files.readAllLines(sysroot.resolve("var/log/ec2spotter.log"));
        assertFalse(log.isEmpty());
        for (String line : log) {
            assertTrue(TIMESTAMPED.matcher(line).matches(), line);
        }
        assertTrue(String.join("\n", log).contains("is block device " + devroot.resolve("dev/nvme2n1")), log.toString());
        assertFalse(r.stderr().contains(ROLE_SECRET), "the secret key was printed");
        assertFalse(String.join("\n", log).contains(ROLE_SECRET), "the secret key was logged");
        assertCallsSignedWith(ROLE_KEY_ID, ROLE_SECRET, ROLE_TOKEN);
    }

    @Test
    void writesTheInterruptionWatcherOntoTheVolumeAndLeavesADisabledOneDisabled() throws Exception {
        ext4(volumeImage, true);
        Map<String, String> params = params();
        Shells.Result r = runBootScript(params);

        assertEquals(0, r.exit(), r.both());
        String watcher = "/usr/local/sbin/ec2spotter-watcher";
        String unit = "/usr/local/lib/systemd/system/ec2spotter-watcher.service";
        String wants = "/etc/systemd/system/multi-user.target.wants/ec2spotter-watcher.service";
        assertEquals(BootScript.renderResource("watcher.sh", params), debugfsCat(volumeImage, watcher));
        assertTrue(debugfsCat(volumeImage, watcher).contains("\nimds_url='" + imds.url() + "'\n"), "the watcher asks another IMDS");
        assertTrue(debugfsStat(volumeImage, watcher).contains("Mode:  0755"), debugfsStat(volumeImage, watcher));
        assertEquals(BootScript.renderResource("ec2spotter-watcher.service", Map.of()), debugfsCat(volumeImage, unit));
        assertTrue(debugfsStat(volumeImage, unit).contains("Mode:  0644"), debugfsStat(volumeImage, unit));
        assertTrue(debugfsStat(volumeImage, wants).contains("Fast link dest: \"" + unit + "\""), debugfsStat(volumeImage, wants));
        for (String d : List.of("/etc/ec2spotter/interruption.d", "/etc/ec2spotter/rebalance.d", "/usr/local/lib/systemd")) {
            assertTrue(debugfsStat(volumeImage, d).contains("Mode:  0755"), d + ": " + debugfsStat(volumeImage, d));
        }
        assertTrue(r.stderr().contains("installed the interruption watcher on " + volumeImage
                + " (ec2spotter-watcher.service, enabled)"), r.stderr());

        // The user ran `systemctl disable ec2spotter-watcher`; the next instance updates the files only.
        Shells.ok(List.of("debugfs", "-w", "-R", "rm " + wants, volumeImage.toString()));
        r = runBootScript(params);
        assertEquals(0, r.exit(), r.both());
        assertTrue(r.stderr().contains("installed the interruption watcher on " + volumeImage
                + " (ec2spotter-watcher.service)"), r.stderr());
        assertTrue(debugfsStat(volumeImage, wants).contains("File not found"), "re-enabled: " + debugfsStat(volumeImage, wants));
        assertEquals(BootScript.renderResource("watcher.sh", params), debugfsCat(volumeImage, watcher));
    }

    @Test
    void withInterruptionHooksOffTheVolumeGetsNoWatcher() throws Exception {
        ext4(volumeImage, true);
        Map<String, String> params = params();
        params.put("interruption_hooks", "no");
        Shells.Result r = runBootScript(params);

        assertEquals(0, r.exit(), r.both());
        assertStubInstalled(assertReidentified(volumeImage));
        for (String path : List.of("/usr/local", "/etc/ec2spotter", "/etc/systemd")) {
            assertTrue(debugfsStat(volumeImage, path).contains("File not found"), path + ": " + debugfsStat(volumeImage, path));
        }
        assertTrue(r.stderr().contains("interruption hooks are off (ec2spotter_interruption_hooks=no): no watcher on the volume"),
                r.stderr());
    }

    /**
     * Debian/Ubuntu GRUB: the stub gets a path of its own, named by init= through a drop-in
     * that update-grub reads (a stand-in here, reading /etc/default/grub and grub.d as
     * grub-mkconfig does); /sbin/init stays the AMI's.
     */
    @Test
    void onAGrubSystemTheStubIsNamedByInitOnTheKernelCommandLine() throws Exception {
        ext4(volumeImage, true);
        Path fakes = grubSystem(true);
        Shells.Result r = runBootScript(params(), fakes);

        assertEquals(0, r.exit(), r.both());
        String uuid = assertReidentified(volumeImage);
        Path stub = sysroot.resolve("sbin/ec2spotter-init");
        assertTrue(Files.isExecutable(stub) && !Files.isSymbolicLink(stub), stub.toString());
        String text = Files.readString(stub);
        assertTrue(text.contains("\nuuid='" + uuid + "'\nself='/sbin/ec2spotter-init'\n"), text);
        assertEquals(Path.of("../lib/systemd/systemd"), Files.readSymbolicLink(sysroot.resolve("sbin/init")));
        assertFalse(Files.exists(sysroot.resolve("sbin/init.ec2spotter-orig"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        String dropIn = Files.readString(sysroot.resolve("etc/default/grub.d/99-ec2spotter.cfg"));
        assertTrue(dropIn.contains("\nGRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT init=/sbin/ec2spotter-init"
                + " rd.emergency=reboot\"\n"), dropIn);
        String grubCfg = Files.readString(sysroot.resolve("boot/grub/grub.cfg"));
        assertTrue(grubCfg.contains("\tlinux /vmlinuz root=UUID=aaaa ro console=ttyS0 init=/sbin/ec2spotter-init"
                + " rd.emergency=reboot\n"), grubCfg);
        assertTrue(r.stderr().contains("the next boot starts /sbin/ec2spotter-init"), r.stderr());
        // This grub.cfg has no 41_custom and no next_entry: the volume's own kernel cannot be booted once.
        assertTrue(r.stderr().contains("kernel: the AMI's " + Shells.ok(List.of("uname", "-r")).strip()
                + ", the stub pivots (no grub.cfg here reads custom.cfg and next_entry)"), r.stderr());
        assertFalse(Files.exists(sysroot.resolve("boot/grub/custom.cfg")));
    }

    /** update-grub that does not read grub.d: nothing would start the stub, so the script stops before. */
    @Test
    void aGrubCfgWithoutTheArgumentStopsBeforeThePointOfNoReturn() throws Exception {
        ext4(volumeImage, true);
        Path fakes = grubSystem(false);
        Shells.Result r = runBootScript(params(), fakes);

        assertEquals(1, r.exit(), r.both());
        assertTrue(r.stderr().contains("/boot/grub/grub.cfg has no init=/sbin/ec2spotter-init"), r.stderr());
        assertTrue(r.stderr().contains("the pre-boot system's boot is untouched"), r.stderr());
        assertFalse(Files.exists(sysroot.resolve("etc/default/grub.d/99-ec2spotter.cfg")));
        assertFalse(Files.readString(sysroot.resolve("boot/grub/grub.cfg")).contains("init="));
        assertInitUntouched();
    }

    /** dracut's systemd never starts /sbin/init: without a boot configuration for init=, refuse. */
    @Test
    void aDracutSystemWithoutGrubIsRefusedBeforeAnythingChanges() throws Exception {
        ext4(volumeImage, true);
        String before = blkid(volumeImage);
        Files.createDirectories(sysroot.resolve("usr/lib/dracut"));
        Shells.Result r = runBootScript(params());

        assertEquals(1, r.exit(), r.both());
        assertTrue(r.stderr().contains("the initramfs is dracut's (/usr/lib/dracut), whose systemd starts the system's systemd"
                + " and never /sbin/init"), r.stderr());
        assertInitUntouched();
        assertEquals(before, blkid(volumeImage));
        assertEquals(List.of(), ec2.describeVolumes(q -> q.volumeIds(volumeId)).volumes().get(0).attachments());
    }

    /**
     * A volume upgraded since the AMI, merged /usr by an absolute link (/lib -> /usr/lib): the
     * directory the stub mounts the pre-boot disk's modules on is made inside the volume, never
     * on the running system.
     */
    @Test
    void aVolumeWithoutTheRunningKernelsModulesGetsTheStubsMountPoint() throws Exception {
        String kernel = Shells.ok(List.of("uname", "-r")).trim();
        Path own = Files.createDirectories(sysroot.resolve("lib/modules/" + kernel));
        Files.writeString(own.resolve("modules.dep"), "kernel/fake.ko:\n");
        ext4(volumeImage, true, List.of(), tree -> {
            Files.createDirectories(tree.resolve("usr"));
            Files.move(tree.resolve("lib"), tree.resolve("usr/lib"));
            Files.createDirectories(tree.resolve("usr/lib/modules/6.1.0-upgraded-cloud-amd64"));
            Files.createSymbolicLink(tree.resolve("lib"), Path.of("/usr/lib"));
        });
        Shells.Result r = runBootScript(params());

        assertEquals(0, r.exit(), r.both());
        String marker = "/usr/lib/modules/" + kernel + "/.ec2spotter-mount-point";
        assertTrue(debugfsCat(volumeImage, marker).startsWith("Made by ec2spotter"), debugfsStat(volumeImage, marker));
        assertFalse(Files.exists(Path.of(marker)), "made on the running system");
        assertTrue(r.stderr().contains("the volume has no modules for the running kernel " + kernel + ": made /usr/lib/modules/"
                + kernel), r.stderr());
    }

    /** The volume's cloud-init keeps its host keys, apt sources and GRUB device; keep_host_keys=no lets keys go. */
    @Test
    void aVolumeWithCloudInitGetsADropInAndTheOptOutDropsTheHostKeys() throws Exception {
        ext4(volumeImage, true, List.of(), tree -> Files.createDirectories(tree.resolve("etc/cloud/cloud.cfg.d")));
        String dropIn = "/etc/cloud/cloud.cfg.d/99-ec2spotter.cfg";
        Shells.Result r = runBootScript(params());

        assertEquals(0, r.exit(), r.both());
        String text = debugfsCat(volumeImage, dropIn);
        List<String> settings = text.lines().filter(l -> !l.startsWith("#")).toList();
        assertEquals(List.of("apt:", "  preserve_sources_list: true", "grub_dpkg:", "  enabled: false", "ssh_deletekeys: false"),
                settings, text);
        assertTrue(debugfsStat(volumeImage, dropIn).contains("Mode:  0644"), debugfsStat(volumeImage, dropIn));

        relaunch();
        Map<String, String> params = params();
        params.put("keep_host_keys", "no");
        r = runBootScript(params);
        assertEquals(0, r.exit(), r.both());
        settings = debugfsCat(volumeImage, dropIn).lines().filter(l -> !l.startsWith("#")).toList();
        assertEquals(List.of("apt:", "  preserve_sources_list: true", "grub_dpkg:", "  enabled: false"), settings);
        assertTrue(r.stderr().contains("ssh host keys made anew on each instance"), r.stderr());
    }

    @Test
    void aVolumeWithoutCloudInitGetsNoDropIn() throws Exception {
        ext4(volumeImage, true);
        Shells.Result r = runBootScript(params());

        assertEquals(0, r.exit(), r.both());
        assertTrue(debugfsStat(volumeImage, "/etc/cloud").contains("File not found"), debugfsStat(volumeImage, "/etc/cloud"));
    }

    /**
     * /etc/default/grub and grub.cfg on the pre-boot disk, and an update-grub stand-in (the only
     * program in the returned directory) that writes grub.cfg from them; with {@code dropIns}
     * false it ignores /etc/default/grub.d.
     */
    private Path grubSystem(boolean dropIns) throws IOException {
        Files.createDirectories(sysroot.resolve("etc/default"));
        Files.writeString(sysroot.resolve("etc/default/grub"), "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\nGRUB_CMDLINE_LINUX=\"\"\n");
        Files.createDirectories(sysroot.resolve("etc/default/grub.d"));
        Files.writeString(sysroot.resolve("etc/default/grub.d/50-cloudimg-settings.cfg"),
                "GRUB_CMDLINE_LINUX_DEFAULT=\"console=ttyS0\"\n");
        Files.createDirectories(sysroot.resolve("boot/grub"));
        Files.writeString(sysroot.resolve("boot/grub/grub.cfg"), "menuentry old {\n\tlinux /vmlinuz root=UUID=aaaa ro quiet\n}\n");
        Path fakes = Files.createDirectories(dir.resolve("fakes-" + System.nanoTime()));
        String root = BootScript.shellQuote(sysroot.toString());
        executableFile(fakes.resolve("update-grub"), "#!/bin/sh\nset -e\nroot=" + root + "\n. \"$root/etc/default/grub\"\n"
                + (dropIns ? "for f in \"$root\"/etc/default/grub.d/*.cfg; do . \"$f\"; done\n" : "")
                + "printf 'menuentry new {\\n\\tlinux /vmlinuz root=UUID=aaaa ro %s %s\\n}\\n' \"$GRUB_CMDLINE_LINUX\""
                + " \"$GRUB_CMDLINE_LINUX_DEFAULT\" | sed 's/ro  /ro /' >\"$root/boot/grub/grub.cfg.new\"\n"
                + "mv \"$root/boot/grub/grub.cfg.new\" \"$root/boot/grub/grub.cfg\"\n");
        return fakes;
    }

    private static void executableFile(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void usesPartitionOneOfAPartitionedVolume() throws Exception {
        // The disk node holds no filesystem of its own (a partition table would be there);
        // the root filesystem is on nvme2n1p1.
        Files.write(volumeImage, new byte[4096]);
        Path partition = devroot.resolve("dev/nvme2n1p1");
        ext4(partition, true);
        Shells.Result r = runBootScript(params());

        assertEquals(0, r.exit(), r.both());
        assertTrue(r.stderr().contains("root filesystem: ext4 on " + partition), r.stderr());
        assertStubInstalled(assertReidentified(partition));
    }

    @Test
    void givesAnXfsVolumeAFreshUuidAndLabel() throws Exception {
        xfs(volumeImage);
        String before = blkid(volumeImage);
        Shells.Result r = runBootScript(params());

        assertEquals(0, r.exit(), r.both());
        String uuid = assertReidentified(volumeImage);
        assertFalse(before.contains(uuid), before);
        assertTrue(r.stderr().contains("(xfs_admin: ec2spotter has not prepared it before)"), r.stderr());
        // V5 XFS keeps the metadata's UUID apart: only the superblocks were written.
        assertTrue(Shells.ok(List.of("xfs_db", "-r", "-c", "version", volumeImage.toString())).contains("META_UUID"));
        Shells.ok(List.of("xfs_repair", "-n", "-f", volumeImage.toString()));
        assertStubInstalled(uuid);
    }

    @Test
    void waitsWhileTheVolumeIsAttachedElsewhereAndProceedsWhenReleased() throws Exception {
        ext4(volumeImage, true);
        String previous = runInstance();
        ec2.attachVolume(r -> r.volumeId(volumeId).instanceId(previous).device("/dev/sdf"));
        Map<String, String> params = params();
        params.put("attach_timeout", "120");

        Process p = startBootScript(params);
        Path log = sysroot.resolve("var/log/ec2spotter.log");
        Instant deadline = Instant.now().plusSeconds(60);
        while (!(Files.exists(log) && Files.readString(log).contains("waiting for it to become available"))) {
            assertTrue(p.isAlive(), "the script ended instead of waiting: " + output(p));
            assertTrue(Instant.now().isBefore(deadline), "the script did not report waiting within 60 s");
            Thread.sleep(500);
        }
        Thread.sleep(4000);
        assertTrue(p.isAlive(), "the script did not keep waiting: " + output(p));
        assertEquals(previous, attachment().instanceId(), "the script took the volume from the other instance");
        ec2.detachVolume(r -> r.volumeId(volumeId).instanceId(previous).device("/dev/sdf"));

        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script did not finish after the volume was released");
        assertEquals(0, p.exitValue(), output(p));
        assertEquals(instanceId, attachment().instanceId());
        assertStubInstalled(assertReidentified(volumeImage));
    }

    @Test
    void timesOutWithAClearMessageWhenTheVolumeIsNeverReleased() throws Exception {
        ext4(volumeImage, true);
        String before = blkid(volumeImage);
        String previous = runInstance();
        ec2.attachVolume(r -> r.volumeId(volumeId).instanceId(previous).device("/dev/sdf"));
        Map<String, String> params = params();
        params.put("attach_timeout", "6");

        Shells.Result r = runBootScript(params);

        assertEquals(1, r.exit(), r.both());
        assertTrue(r.stderr().contains("volume " + volumeId + " is still in-use (attached to " + previous)
                && r.stderr().contains("after 6s"), r.stderr());
        assertTrue(r.stderr().contains("the pre-boot system's boot is untouched"), r.stderr());
        assertEquals(previous, attachment().instanceId());
        assertInitUntouched();
        assertEquals(before, blkid(volumeImage));
    }

    @Test
    void aHandRunChangesNothing() throws Exception {
        ext4(volumeImage, true);
        Path elsewhere = dir.resolve("boot.sh");
        Files.writeString(elsewhere, BootScript.render(params()).text());

        Shells.Result r = Shells.run(List.of("dash", elsewhere.toString()), Map.of(), Path.of("/"), Duration.ofSeconds(60));

        assertEquals(2, r.exit(), r.both());
        assertTrue(r.stderr().contains("not run by cloud-init"), r.stderr());
        assertEquals(List.of(), imds.requests());
        assertEquals(List.of(), moto.calls());
        assertInitUntouched();
    }

    @Test
    void aReRunOnThePersistentSystemDoesNothing() throws Exception {
        ext4(volumeImage, true);
        for (String marker : List.of("old-root", ".ec2spotter-volume")) {
            Path path = sysroot.resolve(marker);
            if (marker.equals("old-root")) {
                Files.createDirectory(path);
            } else {
                Files.writeString(path, volumeId + "\n");
            }
            Shells.Result r = runBootScript(params());

            assertEquals(0, r.exit(), r.both());
            assertTrue(r.stderr().contains("already the persistent volume"), r.stderr());
            assertEquals(List.of(), imds.requests());
            assertEquals(List.of(), moto.calls());
            assertInitUntouched();
            Shells.ok(List.of("rm", "-rf", path.toString()));
        }
    }

    @Test
    void failuresBeforeThePointOfNoReturnLeaveInitUntouchedAndSayWhyOnTheConsoleAndInTags() throws Exception {
        record Case(String name, String expected, Map<String, String> overrides, boolean bootable, boolean role) {
        }
        // Quotes, $, <, a non-ASCII letter, and more than a tag value holds.
        String hostileName = "someone-else 'q' $(x) <b> \u00e9 " + "x".repeat(300);
        List<Case> cases = List.of(
                new Case("volume without a system", "has no executable /sbin/init", Map.of(), false, true),
                new Case("Name tag changed", "is tagged Name=persistent, not " + hostileName,
                        Map.of("volume_name", hostileName), true, true),
                new Case("no instance profile", "no instance profile role after 4s", Map.of("credentials_timeout", "4"),
                        true, false),
                new Case("device never appears", "no block device for volume", Map.of("device_timeout", "3"), true, true));
        for (Case c : cases) {
            seed();
            Map<String, String> params = params();
            params.putAll(c.overrides());
            ext4(volumeImage, c.bootable());
            String before = blkid(volumeImage);
            if (!c.role()) {
                imds.serve(instanceId, ZONE, REGION, null, null, null, null);
            }
            if (c.name().equals("device never appears")) {
                Files.delete(devroot.resolve("sys/block/nvme2n1/device/serial"));
            }

            Shells.Result r = runBootScript(params);

            assertEquals(1, r.exit(), c.name() + ": " + r.both());
            assertTrue(r.stderr().contains(c.expected()), c.name() + ": " + r.stderr());
            assertTrue(r.stderr().contains("the pre-boot system's boot is untouched"), c.name() + ": " + r.stderr());
            assertInitUntouched();
            if (!c.name().equals("volume without a system")) {
                assertEquals(before, blkid(volumeImage), c.name());
            }
            Matcher error = Pattern.compile("ec2spotter: ERROR: (.*)").matcher(r.stderr());
            assertTrue(error.find(), r.stderr());
            String reason = tagValue(error.group(1));
            String console = Files.readString(devroot.resolve("dev/console"));
            assertTrue(console.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ec2spotter: boot=failed reason="
                    + Pattern.quote(reason) + "\n"), c.name() + ": " + console);
            Map<String, String> tags = instanceTags();
            if (c.role()) {
                assertEquals("failed", tags.get("ec2spotter:boot"), c.name() + ": " + r.stderr());
                assertEquals(reason, tags.get("ec2spotter:boot-reason"), c.name());
            } else {
                assertEquals(Map.of(), tags, c.name());
                assertTrue(r.stderr().contains("not tagged ec2spotter:boot=failed: its credentials were not known"), r.stderr());
            }
        }
    }

    /** What EC2 accepts in a tag value everywhere: letters, digits, spaces, + - = . _ : / @; 256 characters. */
    private static String tagValue(String reason) {
        String value = reason.replaceAll("[^A-Za-z0-9 +=._:/@-]", " ").replaceAll(" {2,}", " ");
        return value.substring(0, Math.min(256, value.length()));
    }

    private Map<String, String> instanceTags() {
        Map<String, String> tags = new HashMap<>();
        ec2.describeInstances(q -> q.instanceIds(instanceId)).reservations().get(0).instances().get(0).tags()
                .forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    @Test
    void embeddedKeysAreUsedInsteadOfTheRoleAndEveryCopyIsDeleted() throws Exception {
        ext4(volumeImage, true);
        Map<String, String> params = embeddedKeys(params());
        Path instanceDir = cloudInitCopies(params);
        ArgvRecorder recorder = recorder();

        Shells.Result r = runBootScript(params, recorder);

        assertEquals(0, r.exit(), r.both());
        assertEquals(instanceId, attachment().instanceId());
        assertFalse(imds.requests().stream().anyMatch(l -> l.contains("security-credentials")), imds.requests().toString());
        assertCallsSignedWith(EMBEDDED_KEY_ID, EMBEDDED_SECRET, "");
        assertCopiesDeleted(instanceDir);
        assertFalse(r.stderr().contains(EMBEDDED_SECRET), "the secret key was printed");
        assertNoKeyOnACommandLine(recorder, EMBEDDED_KEY_ID, EMBEDDED_SECRET, "");
    }

    /**
     * After the pivot, cloud-init on the volume sees a new instance and runs the same user-data
     * again, saving its copies on the volume, and into every snapshot of it.
     */
    @Test
    void embeddedKeysThatThePersistentSystemsCloudInitSavedAreDeletedToo() throws Exception {
        Files.createDirectory(sysroot.resolve("old-root"));
        Map<String, String> params = embeddedKeys(params());
        Path instanceDir = cloudInitCopies(params);
        ArgvRecorder recorder = recorder();

        Shells.Result r = runBootScript(params, recorder);

        assertEquals(0, r.exit(), r.both());
        assertTrue(r.stderr().contains("already the persistent volume"), r.stderr());
        assertCopiesDeleted(instanceDir);
        assertEquals(List.of(), imds.requests());
        assertEquals(List.of(), moto.calls());
        assertNoKeyOnACommandLine(recorder, EMBEDDED_KEY_ID, EMBEDDED_SECRET, "");
    }

    /** The first launch, with an instance name and an Elastic IP: every kind of EC2 call the script makes. */
    @Test
    void noKeyMaterialIsEverOnACommandLine() throws Exception {
        ext4(volumeImage, true);
        Map<String, String> params = params();
        params.put("elastic_ip", ec2.allocateAddress(r -> r.domain(DomainType.VPC)).allocationId());
        params.put("instance_name", "dev box");
        ArgvRecorder recorder = recorder();

        Shells.Result r = runBootScript(params, recorder);

        assertEquals(0, r.exit(), r.both());
        assertCallsSignedWith(ROLE_KEY_ID, ROLE_SECRET, ROLE_TOKEN);
        assertNoKeyOnACommandLine(recorder, ROLE_KEY_ID, ROLE_SECRET, ROLE_TOKEN);
    }

    @Test
    void aRelaunchKeepsTheUuidTheFirstLaunchGaveAndChangesNoIdentity() throws Exception {
        for (String fs : List.of("ext4", "xfs")) {
            seed();
            if (fs.equals("ext4")) {
                ext4(volumeImage, true);
            } else {
                xfs(volumeImage);
            }
            Shells.Result first = runBootScript(params());
            assertEquals(0, first.exit(), fs + ": " + first.both());
            String uuid = assertReidentified(volumeImage);
            relaunch();
            ArgvRecorder recorder = recorder();

            Shells.Result r = runBootScript(params(), recorder);

            assertEquals(0, r.exit(), fs + ": " + r.both());
            assertEquals(uuid, assertReidentified(volumeImage), fs);
            assertTrue(r.stderr().contains("keeps its UUID " + uuid + ": ec2spotter prepared it before"), r.stderr());
            assertStubInstalled(uuid);
            List<String> lines = recorder.commandLines();
            assertTrue(lines.contains("umount " + sysroot.resolve("permaroot")), fs + ": the recorder missed the run: " + lines);
            if (fs.equals("ext4")) {
                assertTrue(lines.contains("e2fsck -p " + volumeImage), lines.toString());
            }
            for (String line : lines) {
                assertFalse(line.startsWith("tune2fs ") && !line.startsWith("tune2fs -l "), fs + ": " + line);
                assertFalse(line.startsWith("e2fsck ") && line.contains(" -f"), fs + ": " + line);
                assertFalse(line.startsWith("xfs_admin ") || line.startsWith("xfs_db "), fs + ": " + line);
            }
        }
    }

    @Test
    void aPreparedVolumeGetsAFreshUuidWhenAnotherDiskCarriesItsUuid() throws Exception {
        ext4(volumeImage, true);
        assertEquals(0, runBootScript(params()).exit());
        String uuid = assertReidentified(volumeImage);
        relaunch();
        // This pre-boot disk came from an AMI made from a snapshot of the volume: it has the same UUID.
        Path twinImage = dir.resolve("twin.img");
        Shells.ok(List.of("mke2fs", "-q", "-F", "-t", "ext4", "-U", uuid, twinImage.toString(), "16M"));
        String twin = Shells.ok(List.of("losetup", "-f", "--show", twinImage.toString())).trim();
        try {
            Shells.Result r = runBootScript(params());

            assertEquals(0, r.exit(), r.both());
            String fresh = assertReidentified(volumeImage);
            assertNotEquals(uuid, fresh);
            // The first launch stored the checksum seed: this change touches the superblock only.
            assertTrue(r.stderr().contains("(tune2fs, direct: " + twin + " has the same UUID)"), r.stderr());
            assertStubInstalled(fresh);
        } finally {
            Shells.ok(List.of("losetup", "-d", twin));
        }
    }

    /**
     * tune2fs rewrites every metadata checksum when an ext4 with metadata_csum changes its UUID,
     * unless the filesystem keeps its checksum seed apart (metadata_csum_seed, which the kernel
     * must support). Without metadata_csum the UUID change touches no checksum anyway.
     */
    @Test
    void anExt4UuidChangesTheQuickestWayTheFilesystemAndTheKernelAllow() throws Exception {
        record Case(String name, List<String> mke2fsOptions, boolean kernelSeed, String way) {
        }
        List<Case> cases = List.of(
                new Case("metadata_csum, a kernel with metadata_csum_seed", List.of(), true, "seed"),
                new Case("metadata_csum, a kernel without", List.of(), false, "rewrite"),
                new Case("no metadata_csum", List.of("-O", "^metadata_csum"), false, "direct"));
        for (Case c : cases) {
            seed();
            if (!c.kernelSeed()) {
                Files.delete(devroot.resolve("sys/fs/ext4/features/metadata_csum_seed"));
            }
            ext4(volumeImage, true, c.mke2fsOptions());
            ArgvRecorder recorder = recorder();

            Shells.Result r = runBootScript(params(), recorder);

            assertEquals(0, r.exit(), c.name() + ": " + r.both());
            String uuid = assertReidentified(volumeImage);
            assertTrue(r.stderr().contains("new UUID " + uuid + " and label ec2spotter (tune2fs, " + c.way() + ": "),
                    c.name() + ": " + r.stderr());
            assertEquals(c.way().equals("seed"), ext4Features(volumeImage).contains(" metadata_csum_seed "), c.name());
            Shells.ok(List.of("e2fsck", "-fn", volumeImage.toString()));
            List<String> lines = recorder.commandLines();
            String device = " " + volumeImage;
            int change = lines.indexOf("tune2fs " + (c.way().equals("seed") ? "-O metadata_csum_seed " : "") + "-U " + uuid
                    + " -L ec2spotter" + device);
            int fullCheck = lines.indexOf("e2fsck -p -f" + device);
            assertTrue(change >= 0, c.name() + ": " + lines);
            assertEquals(c.way().equals("rewrite"), fullCheck >= 0 && fullCheck < change, c.name() + ": " + lines);
            assertEquals(1, lines.stream().filter(l -> l.startsWith("tune2fs ") && l.contains(" -U ")).count(), lines.toString());
        }
    }

    @Test
    void credentialsThatAppearAfterAWhileAreWaitedFor() throws Exception {
        ext4(volumeImage, true);
        imds.credentialsFrom(Instant.now().plusSeconds(8));

        Shells.Result r = runBootScript(params());

        assertEquals(0, r.exit(), r.both());
        assertTrue(r.stderr().contains("IMDS has no instance profile credentials yet; waiting up to 60s"), r.stderr());
        List<String> requests = imds.requests();
        String list = "GET /latest/meta-data/iam/security-credentials/ ";
        int firstMissing = requests.indexOf(list + "404 token=valid");
        int found = requests.indexOf(list + "200 token=valid");
        assertTrue(firstMissing >= 0 && found > firstMissing, requests.toString());
        assertTrue(requests.stream().filter(l -> l.equals(list + "404 token=valid")).count() >= 2, requests.toString());
        assertCallsSignedWith(ROLE_KEY_ID, ROLE_SECRET, ROLE_TOKEN);
        assertStubInstalled(assertReidentified(volumeImage));
    }

    /** The script's own steps, against the fake IMDS only: no EC2 endpoint outside loopback is ever called. */
    @Test
    void theEc2EndpointIsInTheDomainOfTheRegionsPartition() throws Exception {
        Path script = Files.writeString(dir.resolve("library.sh"), Shells.template());
        Path driver = Files.writeString(dir.resolve("identity.sh"), """
                EC2SPOTTER_LIBRARY=yes . "$1"
                imds_url=$2 devroot=$3 region=cn-north-1 work=$(mktemp -d)
                trap 'rm -rf "$work"' EXIT
                imds_init
                read_identity
                printf '%s %s\n' "$ec2_endpoint" "$ec2_host"
                """);
        List<String> args = List.of(driver.toString(), script.toString(), imds.url(), devroot.toString());
        for (List<String> shell : Shells.POSIX_SHELLS) {
            imds.domain("amazonaws.com.cn");
            Shells.Result china = Shells.run(Shells.with(shell, args.toArray(String[]::new)));
            assertEquals(0, china.exit(), shell + ": " + china.both());
            assertEquals("https://ec2.cn-north-1.amazonaws.com.cn ec2.cn-north-1.amazonaws.com.cn\n", china.stdout(), shell.toString());

            imds.domain("evil.example/x?y=");
            Shells.Result hostile = Shells.run(Shells.with(shell, args.toArray(String[]::new)));
            assertEquals(1, hostile.exit(), shell + ": " + hostile.both());
            assertTrue(hostile.stderr().contains("IMDS gives 'evil.example/x?y=' as the endpoint domain: not a domain name"),
                    hostile.stderr());
        }
    }

    // --- fixture ---

    private static Map<String, String> embeddedKeys(Map<String, String> params) {
        params.put("access_key_id", EMBEDDED_KEY_ID);
        params.put("secret_access_key", EMBEDDED_SECRET);
        return params;
    }

    /**
     * What cloud-init keeps of a user-data with embedded keys, besides the script itself, and a
     * file without them, in the instance's directory, which it returns.
     */
    private Path cloudInitCopies(Map<String, String> params) throws IOException {
        Path instanceDir = sysroot.resolve("var/lib/cloud/instances/" + instanceId);
        String script = BootScript.render(params).text();
        Files.writeString(instanceDir.resolve("user-data.txt"), script);
        Files.writeString(instanceDir.resolve("user-data.txt.i"), "MIME\n" + script);
        Files.writeString(instanceDir.resolve("obj.pkl"), "pickle " + EMBEDDED_KEY_ID + " " + EMBEDDED_SECRET);
        Files.writeString(instanceDir.resolve("vendor-copy"), "copy of " + EMBEDDED_KEY_ID);
        Files.writeString(instanceDir.resolve("secret-copy"), "copy of " + EMBEDDED_SECRET);
        Files.writeString(instanceDir.resolve("cloud-config.txt"), "#cloud-config\n");
        return instanceDir;
    }

    /** Records the command lines of one run. */
    private ArgvRecorder recorder() throws IOException {
        return ArgvRecorder.create(Files.createTempDirectory(dir, "argv"));
    }

    private static void assertCopiesDeleted(Path instanceDir) {
        for (String copy : List.of("user-data.txt", "user-data.txt.i", "obj.pkl", "scripts/part-001", "vendor-copy", "secret-copy")) {
            assertFalse(Files.exists(instanceDir.resolve(copy)), copy + " still holds the keys");
        }
        assertTrue(Files.exists(instanceDir.resolve("cloud-config.txt")), "a file without the keys was deleted");
    }

    /**
     * No program the run started had key material among its arguments: the key id, the secret,
     * the session token, nor any key SigV4 derives from the secret (hex("AWS4" + secret), the day's,
     * region's, service's and signing keys) for any day the calls were signed on.
     */
    private void assertNoKeyOnACommandLine(ArgvRecorder recorder, String keyId, String secret, String token)
            throws IOException {
        List<String> lines = recorder.commandLines();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("date ")), "the recorder saw no program: " + lines);
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("the access key id", keyId);
        keys.put("the secret key", secret);
        if (!token.isEmpty()) {
            keys.put("the session token", token);
        }
        byte[] first = ("AWS4" + secret).getBytes(StandardCharsets.UTF_8);
        keys.put("hex(AWS4 + secret)", HexFormat.of().formatHex(first));
        Set<String> days = new TreeSet<>();
        days.add(DateTimeFormatter.BASIC_ISO_DATE.format(Instant.now().atOffset(ZoneOffset.UTC)));
        for (Moto.Call call : moto.calls()) {
            String date = lowerCase(call.headers()).get("x-amz-date");
            if (date != null) {
                days.add(date.substring(0, 8));
            }
        }
        for (String day : days) {
            byte[] key = first;
            for (String part : List.of(day, REGION, "ec2", "aws4_request")) {
                key = hmacSha256(key, part);
                keys.put("the key SigV4 derives with " + part + " for " + day, HexFormat.of().formatHex(key));
            }
        }
        for (String line : lines) {
            keys.forEach((name, value) -> assertFalse(line.contains(value), name + " is on a command line: " + line));
        }
        System.out.println("argv recorder: " + lines.size() + " command lines, " + keys.size()
                + " keys looked for, none found");
        if (moto.calls().stream().anyMatch(c -> c.action().equals("AttachVolume"))) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("sha256sum")), "the recorder saw no signing: " + lines);
        }
    }

    private static byte[] hmacSha256(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The feature list tune2fs shows, with a space on either side of each feature. */
    private static String ext4Features(Path image) {
        return Shells.ok(List.of("tune2fs", "-l", image.toString())).lines()
                .filter(l -> l.startsWith("Filesystem features:")).findFirst().orElseThrow()
                .replaceFirst("^Filesystem features:\\s*", " ") + " ";
    }

    /** A fresh pre-boot disk for the current instance: /sbin/init a symlink to systemd, as on current images. */
    private Path prebootDisk(Path root) throws IOException {
        Files.createDirectories(root.resolve("sbin"));
        Files.createDirectories(root.resolve("lib/systemd"));
        Files.writeString(root.resolve("lib/systemd/systemd"), "#!/bin/sh\n");
        Files.createSymbolicLink(root.resolve("sbin/init"), Path.of("../lib/systemd/systemd"));
        Files.createDirectories(root.resolve("var/lib/cloud/instances/" + instanceId + "/scripts"));
        Files.createSymbolicLink(root.resolve("var/lib/cloud/instance"), Path.of("instances/" + instanceId));
        return root;
    }

    /**
     * A spot replacement: the volume is released by the interrupted instance, a new instance
     * starts from the AMI (a fresh pre-boot disk) with the same user-data.
     */
    private void relaunch() throws IOException {
        String old = instanceId;
        ec2.detachVolume(r -> r.volumeId(volumeId).instanceId(old));
        ec2.terminateInstances(r -> r.instanceIds(old));
        instanceId = runInstance();
        imds.serve(instanceId, ZONE, REGION, ROLE, ROLE_KEY_ID, ROLE_SECRET, ROLE_TOKEN);
        sysroot = prebootDisk(Files.createTempDirectory(dir, "relaunch").resolve("sysroot"));
        moto.clearRecording();
    }

    private String runInstance() {
        return ec2.runInstances(r -> r.imageId(seed.imageId()).instanceType(InstanceType.T3_MICRO)
                .subnetId(seed.subnetId()).minCount(1).maxCount(1)).instances().get(0).instanceId();
    }

    private Map<String, String> params() {
        Map<String, String> p = new HashMap<>();
        p.put("volume_id", volumeId);
        p.put("volume_name", "persistent");
        p.put("region", REGION);
        p.put("ec2_endpoint", moto.endpoint());
        p.put("imds_url", imds.url());
        p.put("sysroot", sysroot.toString());
        p.put("devroot", devroot.toString());
        p.put("attach_timeout", "30");
        p.put("device_timeout", "30");
        p.put("reboot", "no");
        return p;
    }

    /** A scratch NVMe disk: /sys/block/NAME/device/serial (padded as the kernel shows it) and /dev/NAME. */
    private Path disk(String name, String serial) throws IOException {
        Path sys = Files.createDirectories(devroot.resolve("sys/block/" + name + "/device"));
        Files.writeString(sys.resolve("serial"), String.format("%-20s%n", serial));
        Path dev = devroot.resolve("dev/" + name);
        Files.write(dev, new byte[0]);
        return dev;
    }

    private void ext4(Path image, boolean bootable) throws IOException {
        ext4(image, bootable, List.of());
    }

    /**
     * An ext4 filesystem on the whole image, made with mke2fs's defaults (metadata_csum included)
     * and {@code options}; {@code bootable}: with /sbin/init -> /lib/systemd/systemd.
     */
    private void ext4(Path image, boolean bootable, List<String> options) throws IOException {
        ext4(image, bootable, options, tree -> { });
    }

    interface TreeChange {
        void apply(Path tree) throws IOException;
    }

    /** The same, {@code change} applied to the tree before mke2fs. */
    private void ext4(Path image, boolean bootable, List<String> options, TreeChange change) throws IOException {
        Path tree = Files.createTempDirectory(dir, "tree");
        if (bootable) {
            Files.createDirectories(tree.resolve("lib/systemd"));
            Files.createDirectories(tree.resolve("sbin"));
            Path systemd = Files.writeString(tree.resolve("lib/systemd/systemd"), "#!/bin/sh\n");
            Files.setPosixFilePermissions(systemd, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createSymbolicLink(tree.resolve("sbin/init"), Path.of("/lib/systemd/systemd"));
        }
        change.apply(tree);
        Files.deleteIfExists(image);
        List<String> mke2fs = new ArrayList<>(List.of("mke2fs", "-q", "-F", "-t", "ext4"));
        mke2fs.addAll(options);
        mke2fs.addAll(List.of("-d", tree.toString(), image.toString(), "64M"));
        Shells.ok(mke2fs);
        Shells.ok(List.of("rm", "-rf", tree.toString()));
    }

    /** An XFS filesystem holding a system, populated through a loop mount. */
    private void xfs(Path image) throws IOException {
        Files.deleteIfExists(image);
        Shells.ok(List.of("truncate", "-s", "320M", image.toString()));
        Shells.ok(List.of("mkfs.xfs", "-q", image.toString()));
        Path mnt = Files.createTempDirectory(dir, "mnt");
        Shells.ok(List.of("mount", "-o", "loop", image.toString(), mnt.toString()));
        try {
            Shells.ok(List.of("sh", "-c", "mkdir -p \"$0/usr/lib/systemd\" && printf '#!/bin/sh\\n' >\"$0/usr/lib/systemd/systemd\""
                    + " && chmod 755 \"$0/usr/lib/systemd/systemd\" && ln -s usr/sbin \"$0/sbin\" && mkdir -p \"$0/usr/sbin\""
                    + " && ln -s ../lib/systemd/systemd \"$0/usr/sbin/init\"", mnt.toString()));
        } finally {
            Shells.ok(List.of("umount", mnt.toString()));
        }
    }

    private Shells.Result runBootScript(Map<String, String> params) throws IOException {
        Path script = installUserData(params);
        return Shells.run(List.of("dash", script.toString()), Map.of(), Path.of("/"), Duration.ofSeconds(180));
    }

    /** The same, with the programs in {@code fakes} found first. */
    private Shells.Result runBootScript(Map<String, String> params, Path fakes) throws IOException {
        Path script = installUserData(params);
        return Shells.run(List.of("dash", script.toString()), Map.of("PATH", fakes + ":" + System.getenv("PATH")),
                Path.of("/"), Duration.ofSeconds(180));
    }

    /** The same, every program it starts recorded by {@code recorder}. */
    private Shells.Result runBootScript(Map<String, String> params, ArgvRecorder recorder) throws IOException {
        Path script = installUserData(params);
        return Shells.run(List.of("dash", script.toString()), Map.of("PATH", recorder.path()), Path.of("/"),
                Duration.ofSeconds(300));
    }

    private Process startBootScript(Map<String, String> params) throws IOException {
        Path script = installUserData(params);
        return new ProcessBuilder("dash", script.toString()).directory(Path.of("/").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(dir.resolve("script.out").toFile())
                .redirectError(dir.resolve("script.err").toFile())
                .start();
    }

    private String output(Process script) throws IOException {
        return Files.readString(dir.resolve("script.err"));
    }

    /** Where cloud-init puts user-data: var/lib/cloud/instance/scripts/part-001, via the instance link. */
    private Path installUserData(Map<String, String> params) throws IOException {
        Path script = sysroot.resolve("var/lib/cloud/instance/scripts/part-001");
        Files.writeString(script, BootScript.render(params).text());
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private VolumeAttachment attachment() {
        Volume v = ec2.describeVolumes(r -> r.volumeIds(volumeId)).volumes().get(0);
        assertEquals(1, v.attachments().size(), v.toString());
        return v.attachments().get(0);
    }

    private static String blkid(Path image) {
        return Shells.ok(List.of("blkid", "-p", image.toString()));
    }

    private static String debugfsCat(Path image, String path) {
        return Shells.ok(List.of("debugfs", "-R", "cat " + path, image.toString()));
    }

    /** debugfs's stat of a path in the image; says "File not found" (on stderr) when there is none. */
    private static String debugfsStat(Path image, String path) {
        Shells.Result r = Shells.run(List.of("debugfs", "-R", "stat " + path, image.toString()));
        return r.stdout() + r.stderr();
    }

    /** The volume's filesystem has label ec2spotter and a UUID; returns the UUID. */
    private String assertReidentified(Path image) {
        String id = blkid(image);
        assertTrue(id.contains("LABEL=\"ec2spotter\""), id);
        Matcher m = Pattern.compile(" UUID=\"([0-9a-f-]{36})\"").matcher(id);
        assertTrue(m.find(), id);
        return m.group(1);
    }

    private void assertStubInstalled(String uuid) throws IOException {
        Path init = sysroot.resolve("sbin/init");
        assertFalse(Files.isSymbolicLink(init));
        String stub = Files.readString(init);
        assertTrue(stub.startsWith("#!/bin/sh\n"), stub);
        assertTrue(stub.contains("\nuuid='" + uuid + "'\n"), stub);
        assertTrue(Files.isExecutable(init));
        Path orig = sysroot.resolve("sbin/init.ec2spotter-orig");
        assertTrue(Files.isSymbolicLink(orig));
        assertEquals(Path.of("../lib/systemd/systemd"), Files.readSymbolicLink(orig));
        assertTrue(Files.isDirectory(sysroot.resolve("permaroot")));
        assertFalse(Files.exists(sysroot.resolve("sbin/init.ec2spotter-new")));
    }

    private void assertInitUntouched() throws IOException {
        Path init = sysroot.resolve("sbin/init");
        assertTrue(Files.isSymbolicLink(init), "/sbin/init was replaced");
        assertEquals(Path.of("../lib/systemd/systemd"), Files.readSymbolicLink(init));
        assertFalse(Files.exists(sysroot.resolve("sbin/init.ec2spotter-orig"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(sysroot.resolve("sbin/init.ec2spotter-new")));
    }

    /** One token PUT first, then every GET carried a valid token: no IMDSv1 read. */
    private void assertEveryMetadataReadHadAToken() throws IOException {
        List<String> requests = imds.requests();
        assertTrue(requests.get(0).startsWith("PUT /latest/api/token 200"), requests.toString());
        long gets = requests.stream().filter(l -> l.startsWith("GET ")).count();
        assertTrue(gets >= 3, requests.toString());
        for (String line : requests) {
            if (line.startsWith("GET ")) {
                assertTrue(line.endsWith(" 200 token=valid"), line);
            }
        }
    }

    /**
     * Every EC2 call moto received carries the expected key and a signature that the SDK's signer
     * computes for the same request: the wire requests are correctly signed.
     */
    private void assertCallsSignedWith(String keyId, String secret, String token) throws IOException {
        // The test's own SDK client marks its calls with an invocation id; the script's carry none.
        List<Moto.Call> calls = moto.calls().stream()
                .filter(c -> !lowerCase(c.headers()).containsKey("amz-sdk-invocation-id")).toList();
        assertTrue(calls.stream().anyMatch(c -> c.action().equals("AttachVolume")), calls.toString());
        for (Moto.Call call : calls) {
            Map<String, String> h = lowerCase(call.headers());
            String amzDate = h.get("x-amz-date");
            Instant time = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                    .parse(amzDate, Instant::from);
            assertEquals(token.isEmpty() ? null : token, h.get("x-amz-security-token"), call.action());
            SigV4Signer.Signed expected = SigV4Signer.signFormPost(moto.endpoint(), REGION, "ec2", keyId, secret,
                    token, time, call.body());
            assertEquals(expected.authorization(), h.get("authorization"), call.action());
        }
    }

    private static Map<String, String> lowerCase(Map<String, String> headers) {
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return lower;
    }
}
