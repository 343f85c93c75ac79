package io.github.ec2spotter.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The volume's ec2spotter-kernel-entry ({@code kernel-entry.sh}, as the boot script writes it)
 * under dash and busybox sh: its writer of GRUB's environment block is read back by GRUB's own
 * {@code grub-editenv}, which must see the same variables and a block of the same size; its
 * kernel links and failure record on a scratch root. Mounting the pre-boot disk and GRUB itself
 * are the QEMU tier's (scripts/e2e-distro).
 */
class KernelEntryShellTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        Shells.require("dash", "dash");
        Shells.require("busybox", "busybox-static");
        Shells.require("grub-editenv", "grub-common");
        Shells.require("shellcheck", "shellcheck");
    }

    private Path script() throws IOException {
        Path script = dir.resolve("kernel-entry.sh");
        Files.writeString(script, BootScript.renderResource("kernel-entry.sh", Map.of()));
        return script;
    }

    /** Runs DRIVER (the script sourced as a library first) under SHELL with root= set to ROOT. */
    private Shells.Result library(List<String> shell, Path root, String driver) throws IOException {
        Path file = dir.resolve("driver.sh");
        Files.writeString(file, "EC2SPOTTER_LIBRARY=yes . \"$1\"\nroot=\"$2\"\nstate_file=\"$root/var/lib/ec2spotter/kernel-entry\"\n"
                + "failed_file=\"$root/var/lib/ec2spotter/failed-kernels\"\nlog_file=\"$root/log\"\n" + driver + "\n");
        return Shells.run(Shells.with(shell, file.toString(), script().toString(), root.toString()), Map.of(), dir,
                Duration.ofSeconds(30));
    }

    @Test
    void isCleanUnderShellcheck() throws IOException {
        Shells.ok(List.of("shellcheck", "--shell=sh", "--severity=style", script().toString()));
        for (List<String> shell : Shells.POSIX_SHELLS) {
            Shells.ok(Shells.with(shell, "-n", script().toString()));
        }
    }

    @Test
    void theBlockItWritesIsTheOneGrubEditenvReads() throws IOException {
        for (List<String> shell : Shells.POSIX_SHELLS) {
            Path env = dir.resolve("grubenv");
            Files.deleteIfExists(env);
            Shells.ok(List.of("grub-editenv", env.toString(), "create"));
            Shells.ok(List.of("grub-editenv", env.toString(), "set", "saved_entry=0", "initrdfail=1", "prev_entry=gnulinux"));
            Shells.Result r = library(shell, dir, "env_edit \"" + env + "\" next_entry=ec2spotter-volume"
                    + " ec2spotter_kernel=6.12.95+deb12-cloud-amd64 initrdfail= prev_entry=");
            assertEquals(0, r.exit(), r.both());
            assertEquals(1024, Files.size(env));
            assertEquals(List.of("saved_entry=0", "next_entry=ec2spotter-volume", "ec2spotter_kernel=6.12.95+deb12-cloud-amd64"),
                    Shells.ok(List.of("grub-editenv", env.toString(), "list")).lines().toList(), shell.toString());
            // GRUB clears next_entry as it boots it; removing both again leaves the rest.
            r = library(shell, dir, "env_edit \"" + env + "\" next_entry= ec2spotter_kernel=\nvalue saved_entry \"" + env + "\"");
            assertEquals(0, r.exit(), r.both());
            assertEquals("0\n", r.stdout());
            assertEquals(List.of("saved_entry=0"), Shells.ok(List.of("grub-editenv", env.toString(), "list")).lines().toList());
        }
    }

    @Test
    void refusesAFileThatIsNoEnvironmentBlock() throws IOException {
        Path env = dir.resolve("grubenv");
        Files.writeString(env, "not a block\n");
        Shells.Result r = library(List.of("dash"), dir, "env_edit \"" + env + "\" next_entry=x");
        assertNotEquals(0, r.exit(), r.both());
        assertEquals("not a block\n", Files.readString(env));
    }

    @Test
    void theKernelIsTheOneTheLinksNameWithItsInitrd() throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("boot"));
        Files.writeString(root.resolve("boot/vmlinuz-6.12.95+deb12-cloud-amd64"), "kernel");
        Files.createSymbolicLink(root.resolve("vmlinuz"), Path.of("boot/vmlinuz-6.12.95+deb12-cloud-amd64"));
        Shells.Result r = library(List.of("dash"), root, "link_version || echo none");
        assertEquals("none\n", r.stdout(), "no initrd.img link yet: " + r.both());
        Files.writeString(root.resolve("boot/initrd.img-6.12.95+deb12-cloud-amd64"), "initrd");
        Files.createSymbolicLink(root.resolve("initrd.img"), Path.of("boot/initrd.img-6.12.95+deb12-cloud-amd64"));
        for (List<String> shell : Shells.POSIX_SHELLS) {
            r = library(shell, root, "link_version");
            assertEquals(" 6.12.95+deb12-cloud-amd64\n", r.stdout(), "the / links: " + r.both());
        }
    }

    @Test
    void aFailedKernelIsRecordedOnceAndNotArmedAgain() throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("boot"));
        Files.writeString(root.resolve("boot/vmlinuz-6.12.95"), "kernel");
        Files.writeString(root.resolve("boot/initrd.img-6.12.95"), "initrd");
        Files.createSymbolicLink(root.resolve("boot/vmlinuz"), Path.of("vmlinuz-6.12.95"));
        Files.createSymbolicLink(root.resolve("boot/initrd.img"), Path.of("initrd.img-6.12.95"));
        Files.createDirectories(root.resolve("var/lib/ec2spotter")); // the boot script makes it
        Path env = dir.resolve("grubenv");
        Shells.ok(List.of("grub-editenv", env.toString(), "create"));
        Shells.Result r = library(List.of("dash"), root, "arm \"" + env + "\"");
        assertEquals(0, r.exit(), r.both());
        assertEquals(List.of("next_entry=ec2spotter-volume", "ec2spotter_kernel=6.12.95"),
                Shells.ok(List.of("grub-editenv", env.toString(), "list")).lines().toList());
        r = library(List.of("busybox", "sh"), root, "record_failed 6.12.95 'this boot came from the default entry'\n"
                + "record_failed 6.12.95 again\narm \"" + env + "\"");
        assertEquals(0, r.exit(), r.both());
        List<String> failed = Files.readAllLines(root.resolve("var/lib/ec2spotter/failed-kernels"));
        assertEquals(1, failed.size(), failed.toString());
        assertTrue(failed.get(0).matches("6\\.12\\.95 \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ this boot came from the default entry"),
                failed.get(0));
        assertEquals(List.of(), Shells.ok(List.of("grub-editenv", env.toString(), "list")).lines().toList());
        assertTrue(r.stderr().contains("or one that failed"), r.both());
        assertFalse(Files.readString(root.resolve("log")).isEmpty());
    }

    @Test
    void withoutItsStateItDoesNothing() throws IOException {
        Shells.Result r = Shells.run(List.of("dash", script().toString(), "boot"), Map.of(), dir, Duration.ofSeconds(30));
        assertEquals(0, r.exit(), r.both());
        assertEquals("", r.stdout() + r.stderr());
    }
}
