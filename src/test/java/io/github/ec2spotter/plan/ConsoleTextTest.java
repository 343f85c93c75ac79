package io.github.ec2spotter.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cleaning a console that may hold anything, and finding ec2spotter's lines in it. */
class ConsoleTextTest {
    /** The text moto answers GetConsoleOutput with (its first lines): a kernel boot, no ec2spotter line. */
    static final String MOTO_CONSOLE = "Linux version 2.6.16-xenU (builder@patchbat.amazonsa) (gcc version 4.0.1"
            + " 20050727 (Red Hat 4.0.1-5)) #1 SMP Thu Oct 26 08:41:26 SAST 2006\n"
            + "BIOS-provided physical RAM map:\n"
            + "Kernel command line: root=/dev/sda1 ro 4\n";

    @Test
    void aPlainKernelConsoleKeepsItsLinesAndHasNoBootLine() {
        List<String> lines = ConsoleText.lines(MOTO_CONSOLE);
        assertEquals(3, lines.size(), lines::toString);
        assertEquals("Kernel command line: root=/dev/sda1 ro 4", lines.get(2));
        assertTrue(ConsoleText.bootLines(lines).isEmpty());
    }

    @Test
    void escapeSequencesGoWholeAndControlCharactersGo() {
        String hostile = "\u001b[1;31mred\u001b[0m text\r\n"
                + "\u001b]0;you have been owned\u0007title set\n"
                + "\u001b]8;;http://evil.invalid/\u001b\\link\u001b]8;;\u001b\\\n"
                + "\u009b2Jeight-bit CSI\n"
                + "bell\u0007 backspace\b\b and NUL\u0000 and DEL\u007f\n"
                + "unterminated \u001b]2;title that never ends\n"
                + "next line survives\n"
                + "tab\tstays\n"
                + "\u001bcreset\u001b(Bcharset\n";
        List<String> lines = ConsoleText.lines(hostile);
        assertEquals(List.of("red text", "title set", "link", "eight-bit CSI", "bell backspace and NUL and DEL",
                "unterminated ", "next line survives", "tab\tstays", "resetcharset"), lines);
        for (String line : lines) {
            assertTrue(line.chars().allMatch(c -> c == '\t' || c >= 0x20 && c != 0x7f && (c < 0x80 || c >= 0xa0)),
                    line);
        }
    }

    @Test
    void theBootScriptsAndTheStubsLinesAreFoundAlsoBehindCloudInitsPrefix() {
        List<String> lines = ConsoleText.lines("[    0.000000] Linux version 6.1.0\n"
                + "2026-12-02T10:00:01Z ec2spotter: boot script started for volume vol-1\n"
                + "[   19.187453] cloud-init[1208]: 2026-12-02T10:00:05Z ec2spotter: volume vol-1 is attached\n"
                + "ec2spotter init stub: booting the persistent volume (1234-abcd)\n"
                + "[   20.1] audit: comm=\"x\" ec2spotter: boot=failed reason=forged by a process name\n"
                + "someone said ec2spotter: hello\n");
        List<ConsoleText.BootLine> boot = ConsoleText.bootLines(lines);
        assertEquals(3, boot.size(), boot::toString);
        assertEquals("boot script started for volume vol-1", boot.get(0).message());
        assertFalse(boot.get(0).fromStub());
        assertEquals("volume vol-1 is attached", boot.get(1).message());
        assertTrue(boot.get(2).fromStub());
        assertEquals("ec2spotter init stub: booting the persistent volume (1234-abcd)", boot.get(2).line());
    }

    /** A forged line in colours is shown as a line, without its colours: the stage it claims is only text. */
    @Test
    void aForgedLineWithAnsiCodesIsCleanedBeforeItIsMatched() {
        List<String> lines = ConsoleText.lines("\u001b[2K\u001b[1G\u001b[32m2026-12-02T10:00:00Z ec2spotter:"
                + " boot=failed reason=\u001b]0;pwned\u0007all good\u001b[0m\n"
                + "\u001b[31mec2spotter: pivoted, trust me\u001b[0m\n");
        List<ConsoleText.BootLine> boot = ConsoleText.bootLines(lines);
        assertEquals(1, boot.size(), "a line without the boot script's time is not one of its lines: " + boot);
        assertEquals("2026-12-02T10:00:00Z ec2spotter: boot=failed reason=all good", boot.get(0).line());
        assertEquals("ec2spotter: pivoted, trust me", lines.get(1));
    }

    @Test
    void anEmptyConsoleHasNoLines() {
        assertTrue(ConsoleText.lines("").isEmpty());
    }
}
