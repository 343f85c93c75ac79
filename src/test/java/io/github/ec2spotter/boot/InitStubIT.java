package io.github.ec2spotter.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init stub the boot script writes, run as PID 1 of a new PID and mount namespace
 * ({@code unshare}), chrooted into a scratch pre-boot root made of busybox applets, with the
 * persistent filesystem an ext4 image on a loop device. It shows the pivot into the volume and
 * both fall-backs to the original init on the host's kernel; the QEMU suite shows the same in
 * a real boot (initramfs, console, systemd).
 */
class InitStubIT {
    static final String ORIG_INIT = """
            #!/bin/sh
            echo "orig pid=$$ args=$*" >/ran-orig
            """;
    /** The volume's init: its root is read-only, so it reports on the console (a file, in the pre-boot /dev moved to its /dev). */
    static final String PERSISTENT_INIT = """
            #!/bin/sh
            { echo "persistent pid=$$ args=$*"; ls /old-root/sbin; cat /proc/mounts; echo modules:; ls -a "/lib/modules/$(uname -r)"; } >>/dev/console
            """;

    @TempDir
    Path dir;
    Path preboot;
    Path image;
    String loop;

    @BeforeAll
    static void tools() {
        for (String[] tool : new String[][] {{"unshare", "util-linux"}, {"losetup", "mount"}, {"busybox", "busybox-static"},
            {"mke2fs", "e2fsprogs"}, {"dash", "dash"}}) {
            Shells.require(tool[0], tool[1]);
        }
        if (!"0".equals(Shells.ok(List.of("id", "-u")).trim())) {
            fail("InitStubIT runs the stub as PID 1 in new namespaces on a loop device: run it as root");
        }
    }

    @BeforeEach
    void prebootRoot() throws IOException {
        preboot = Files.createDirectories(dir.resolve("preboot"));
        busyboxTree(preboot, "sh", "mount", "umount", "findfs", "pivot_root", "readlink", "sleep", "mkdir",
                "date", "echo", "uname");
        for (String d : List.of("permaroot", "proc", "sys", "run", "dev", "var/log")) {
            Files.createDirectories(preboot.resolve(d));
        }
        Shells.ok(List.of("mknod", preboot.resolve("dev/null").toString(), "c", "1", "3"));
        Files.writeString(preboot.resolve("dev/console"), "");
        executable(preboot.resolve("sbin/init.ec2spotter-orig"), ORIG_INIT);
    }

    @AfterEach
    void detach() {
        if (loop != null) {
            Shells.run(List.of("losetup", "-d", loop));
        }
    }

    @Test
    void pivotsIntoThePersistentFilesystemMountedReadOnlyAndRunsItsInitAsPid1() throws IOException {
        String uuid = persistentVolume(true);
        writeStub(uuid);

        Shells.Result r = boot("splash");

        String ran = read(preboot.resolve("dev/console"));
        assertTrue(ran.contains("\npersistent pid=1 args=splash\n"), ran + r.both());
        assertTrue(ran.contains("\ninit\ninit.ec2spotter-orig\n"), "/old-root is not the pre-boot root: " + ran);
        assertTrue(ran.contains(" /proc proc "), "/proc was not moved into the new root: " + ran);
        assertTrue(ran.contains(" /sys sysfs "), "/sys was not moved into the new root: " + ran);
        assertTrue(Pattern.compile("(?m)^/dev/loop\\d+ / ext4 ro[,\\s]").matcher(ran).find(),
                "the volume is not / mounted read-only: " + ran);
        assertFalse(Files.exists(preboot.resolve("ran-orig")), "the original init ran too");
        assertTrue(ran.contains("booting the persistent volume (" + uuid + ")"), ran);
    }

    /**
     * A volume upgraded since the AMI: no modules for the running kernel, only the directory the
     * boot script made, below a relative /lib -> usr/lib (merged /usr). The stub shows the
     * pre-boot disk's modules there, writable in memory, and says so.
     */
    @Test
    void showsThePrebootDisksModulesOnAVolumeWithoutTheRunningKernels() throws IOException {
        String kernel = Shells.ok(List.of("uname", "-r")).trim();
        Path own = Files.createDirectories(preboot.resolve("lib/modules/" + kernel + "/kernel/drivers/net"));
        Files.writeString(own.resolve("fake-nic.ko"), "module\n");
        Files.writeString(preboot.resolve("lib/modules/" + kernel + "/modules.dep"), "kernel/drivers/net/fake-nic.ko:\n");
        String uuid = persistentVolume(true, tree -> {
            Files.createDirectories(tree.resolve("usr/lib/modules/" + kernel));
            Files.writeString(tree.resolve("usr/lib/modules/" + kernel + "/.ec2spotter-mount-point"), "made by ec2spotter\n");
            Files.createSymbolicLink(tree.resolve("lib"), Path.of("usr/lib"));
        });
        writeStub(uuid);

        Shells.Result r = boot("splash");

        String ran = read(preboot.resolve("dev/console"));
        assertTrue(ran.contains("\npersistent pid=1 args=splash\n"), ran + r.both());
        String modules = ran.substring(ran.indexOf("modules:\n"));
        for (String name : List.of(".ec2spotter-mount-point", "kernel", "modules.dep")) {
            assertTrue(modules.contains("\n" + name + "\n"), name + " is not in /lib/modules/" + kernel + ": " + modules);
        }
        assertTrue(ran.contains(" /usr/lib/modules/" + kernel + " overlay "), "no overlay on the volume's modules: " + ran);
        assertTrue(ran.contains("the volume has no modules for the running kernel " + kernel
                + ": the pre-boot disk's are shown on /usr/lib/modules/" + kernel), ran);
        assertTrue(ran.contains("Drivers built for the volume's own kernel (a GPU driver, DKMS) do not load"), ran);
    }

    /** A failed exec ends a POSIX shell: PID 1 must live on, back on the pre-boot root. */
    @Test
    void runsTheOriginalInitWhenTheVolumesInitCannotBeExecuted() throws IOException {
        String uuid = persistentVolume(true, tree -> executable(tree.resolve("sbin/init"), "#!/nonexistent/interpreter\n"));
        writeStub(uuid);

        Shells.Result r = boot("splash");

        assertEquals("orig pid=1 args=splash\n", read(preboot.resolve("ran-orig")), r.both());
        String console = read(preboot.resolve("dev/console"));
        assertTrue(console.contains("booting the persistent volume (" + uuid + ")"), console);
        assertTrue(console.contains("the volume's /sbin/init could not be executed; starting the pre-boot system's init"),
                console);
    }

    @Test
    void runsTheOriginalInitWhenTheVolumeHoldsNoSystem() throws IOException {
        String uuid = persistentVolume(false);
        writeStub(uuid);

        Shells.Result r = boot("splash");

        assertEquals("orig pid=1 args=splash\n", read(preboot.resolve("ran-orig")), r.both());
        String console = read(preboot.resolve("dev/console"));
        assertTrue(console.contains("has no executable /sbin/init; starting the pre-boot system's init"), console);
        assertTrue(read(preboot.resolve("var/log/ec2spotter.log")).contains("has no executable /sbin/init"));
        assertFalse(console.contains("persistent pid="), console);
    }

    @Test
    void runsTheOriginalInitWhenNoFilesystemHasTheUuid() throws IOException {
        persistentVolume(true);
        String other = UUID.randomUUID().toString();
        writeStub(other);

        Shells.Result r = boot("splash");

        assertEquals("orig pid=1 args=splash\n", read(preboot.resolve("ran-orig")), r.both());
        String console = read(preboot.resolve("dev/console"));
        assertTrue(console.contains("no filesystem has UUID " + other), console);
    }

    @Test
    void isTheOriginalInitWhenNotPid1() throws IOException {
        writeStub(UUID.randomUUID().toString());

        Shells.Result r = Shells.run(List.of("chroot", preboot.toString(), "/sbin/init", "6"), Map.of(), Path.of("/"),
                Duration.ofSeconds(30));

        assertEquals(0, r.exit(), r.both());
        String ran = read(preboot.resolve("ran-orig"));
        assertTrue(ran.matches("orig pid=\\d+ args=6\n") && !ran.startsWith("orig pid=1 "), ran);
    }

    interface TreeChange {
        void apply(Path tree) throws IOException;
    }

    private String persistentVolume(boolean bootable) throws IOException {
        return persistentVolume(bootable, tree -> { });
    }

    /**
     * The persistent filesystem on a loop device, with the device node in the pre-boot /dev; its
     * /dev/console a file of its own. {@code change} alters the tree before mke2fs.
     */
    private String persistentVolume(boolean bootable, TreeChange change) throws IOException {
        Path tree = Files.createDirectories(dir.resolve("persistent"));
        busyboxTree(tree, "sh", "ls", "cat", "mount", "umount", "pivot_root", "echo", "uname");
        for (String d : List.of("dev", "proc", "sys", "run", "old-root", "var/log")) {
            Files.createDirectories(tree.resolve(d));
        }
        if (bootable) {
            executable(tree.resolve("sbin/init"), PERSISTENT_INIT);
        }
        change.apply(tree);
        image = dir.resolve("persistent.img");
        Shells.ok(List.of("mke2fs", "-q", "-F", "-t", "ext4", "-d", tree.toString(), image.toString(), "32M"));
        loop = Shells.ok(List.of("losetup", "-f", "--show", image.toString())).trim();
        Matcher m = Pattern.compile("/dev/loop(\\d+)").matcher(loop);
        assertTrue(m.matches(), loop);
        Shells.ok(List.of("mknod", preboot.resolve("dev/loop" + m.group(1)).toString(), "b", "7", m.group(1)));
        Matcher u = Pattern.compile(" UUID=\"([0-9a-f-]+)\"").matcher(Shells.ok(List.of("blkid", "-p", image.toString())));
        assertTrue(u.find());
        return u.group(1);
    }

    /** The stub exactly as the rendered boot script writes it. */
    private void writeStub(String uuid) throws IOException {
        Path script = Files.writeString(dir.resolve("boot.sh"), BootScript.render(Map.of()).text());
        Path driver = Files.writeString(dir.resolve("write-stub.sh"),
                "EC2SPOTTER_LIBRARY=yes . \"$1\"\nvolume_id=vol-0123\nwrite_stub \"$2\" \"$3\" /sbin/init\n");
        Path init = preboot.resolve("sbin/init");
        Shells.ok(List.of("dash", driver.toString(), script.toString(), init.toString(), uuid));
        Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * Boots the pre-boot root: the stub becomes PID 1 of a new PID namespace, in a private mount
     * namespace whose root is a bind mount (pivot_root needs the root to be a mount point), /dev
     * a mount too, as devtmpfs is at boot, so the stub moves it into the volume.
     */
    private Shells.Result boot(String kernelArg) {
        return Shells.run(List.of("unshare", "--mount", "--pid", "--fork", "--propagation", "private", "sh", "-c",
                "mount --bind \"$0\" \"$0\" && mount --bind \"$0/dev\" \"$0/dev\" && cd \"$0\""
                        + " && exec chroot \"$0\" /sbin/init \"$1\"",
                preboot.toString(), kernelArg), Map.of(), Path.of("/"), Duration.ofSeconds(90));
    }

    private void busyboxTree(Path root, String... applets) throws IOException {
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("sbin"));
        Shells.ok(List.of("cp", Shells.ok(List.of("sh", "-c", "command -v busybox")).trim(),
                root.resolve("bin/busybox").toString()));
        for (String applet : applets) {
            Files.createSymbolicLink(root.resolve("bin/" + applet), Path.of("busybox"));
        }
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
