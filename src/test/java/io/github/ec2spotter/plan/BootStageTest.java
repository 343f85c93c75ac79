package io.github.ec2spotter.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ec2spotter.model.Tags;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a boot stands, from the failure tags and the console's lines as boot.sh and its stub print them. */
class BootStageTest {
    private static List<ConsoleText.BootLine> console(String text) {
        return ConsoleText.bootLines(ConsoleText.lines(text));
    }

    @Test
    void noLineAndNoTagIsUnknown() {
        BootStage s = BootStage.of(Map.of(), console(ConsoleTextTest.MOTO_CONSOLE));
        assertEquals(BootStage.Stage.UNKNOWN, s.stage());
    }

    @Test
    void theLastLineThatTellsWins() {
        String first = "2026-12-02T10:00:01Z ec2spotter: boot script started for volume vol-1\n";
        assertEquals(BootStage.Stage.STARTED, BootStage.of(Map.of(), console(first)).stage());
        String attached = first + "2026-12-02T10:00:09Z ec2spotter: volume vol-1 is attached\n"
                + "2026-12-02T10:00:10Z ec2spotter: installed the init stub as /sbin/init\n";
        assertEquals(BootStage.Stage.ATTACHED, BootStage.of(Map.of(), console(attached)).stage());
        String pivoted = attached + "ec2spotter init stub: booting the persistent volume (1234)\n"
                + "2026-12-02T10:01:30Z ec2spotter: boot script started for volume vol-1\n"
                + "2026-12-02T10:01:31Z ec2spotter: / is already the persistent volume (found /old-root): nothing to do\n";
        assertEquals(BootStage.Stage.PIVOTED, BootStage.of(Map.of(), console(pivoted)).stage());
        assertEquals("console", BootStage.of(Map.of(), console(pivoted)).source());
    }

    @Test
    void theFailureTagGivesTheReason() {
        BootStage s = BootStage.of(Map.of(Tags.BOOT, "failed", Tags.BOOT_REASON, "volume vol-1 not found"),
                console(ConsoleTextTest.MOTO_CONSOLE));
        assertEquals(new BootStage(BootStage.Stage.FAILED, Optional.of("volume vol-1 not found"), "tag"), s);
        assertEquals("failed: volume vol-1 not found (the instance runs its pre-boot system)", s.sentence());
    }

    @Test
    void aFailureOnTheConsoleWithoutTagIsAFailureToo() {
        BootStage script = BootStage.of(Map.of(), console("2026-12-02T10:00:01Z ec2spotter: boot=failed"
                + " reason=no role credentials after 120 s\n"));
        assertEquals(new BootStage(BootStage.Stage.FAILED, Optional.of("no role credentials after 120 s"), "console"),
                script);
        BootStage stub = BootStage.of(Map.of(), console("ec2spotter init stub: no filesystem has UUID 1234 (is the"
                + " volume attached?); starting the pre-boot system's init (/sbin/init.ec2spotter-orig) instead\n"));
        assertEquals(BootStage.Stage.FAILED, stub.stage());
        assertEquals(Optional.of("no filesystem has UUID 1234 (is the volume attached?)"), stub.reason());
    }

    /** The tag stays on the instance; a pivot seen after it is a later, good boot. */
    @Test
    void aPivotAfterTheTagWins() {
        BootStage s = BootStage.of(Map.of(Tags.BOOT, "failed", Tags.BOOT_REASON, "x"),
                console("ec2spotter init stub: booting the persistent volume (1234)\n"));
        assertEquals(BootStage.Stage.PIVOTED, s.stage());
    }

    @Test
    void aTagWithoutReasonSaysSo() {
        assertEquals(Optional.of("no reason given"), BootStage.of(Map.of(Tags.BOOT, "failed"), List.of()).reason());
    }

    /** The kernel the boot script chose: its last "kernel:" line, never the stub's or another line. */
    @Test
    void theKernelIsTheBootScriptsLastWordOnIt() {
        assertEquals(Optional.empty(), BootStage.kernel(console(ConsoleTextTest.MOTO_CONSOLE)));
        String text = "[   40.1] cloud-init[812]: 2026-12-02T10:00:31Z ec2spotter: kernel: the AMI's 6.1.0-57-cloud-amd64,"
                + " the stub pivots (ec2spotter_kernel=ami)\n"
                + "ec2spotter init stub: kernel: not the stub's to say\n"
                + "[   41.0] cloud-init[812]: 2026-12-03T10:00:31Z ec2spotter: kernel: the volume's own 6.12.95+deb12-cloud-amd64"
                + " from the next boot on (GRUB boots the volume's /vmlinuz, /boot/grub/custom.cfg)\n"
                + "2026-12-03T10:00:32Z ec2spotter: rebooting into the persistent volume\n";
        assertEquals(Optional.of("the volume's own 6.12.95+deb12-cloud-amd64 from the next boot on (GRUB boots the"
                + " volume's /vmlinuz, /boot/grub/custom.cfg)"), BootStage.kernel(console(text)));
    }
}
