package io.github.ec2spotter.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An instance's console output made fit to print, and the lines in it that ec2spotter's boot
 * script and init stub wrote. The console is whatever the instance sent to its serial port: a
 * program on it can colour its output, move the cursor or retitle the user's terminal. Escape
 * sequences are removed whole (not shown as {@code \x1b[31m}, which would make the colourful lines
 * of a normal boot unreadable), and the control characters left are dropped; the console's own
 * line breaks, CRLF or LF, end lines.
 */
public final class ConsoleText {
    /**
     * ECMA-48 sequences: CSI (ESC [ or the one-byte 0x9b, parameters, intermediates, a final byte);
     * the strings OSC, DCS, SOS, PM and APC up to their terminator (BEL or ST) or the end of the
     * line, so that an unterminated one cannot hide the rest of the console; and the two-character escapes (ESC, optional intermediates, one final byte).
     */
    private static final Pattern ESCAPE = Pattern.compile(
            "(?:\\x1b\\[|\\x9b)[\\x30-\\x3f]*[\\x20-\\x2f]*[\\x40-\\x7e]?"
                    + "|(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[^\\n]*?(?:\\x07|\\x1b\\\\|\\x9c|(?=\\r?\\n)|$)"
                    + "|\\x1b[\\x20-\\x2f]*[\\x30-\\x7e]?");
    /** C0 controls but the tab, DEL, and C1 controls: what is left of them after the sequences. */
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0a-\\x1f\\x7f\\x80-\\x9f]");
    /** The time boot.sh's {@code say} writes first: {@code date -u '+%Y-%m-%dT%H:%M:%SZ'}, a space. */
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\s+";
    /**
     * A line of the boot script ({@code ec2spotter: } after the UTC time its {@code say} puts first)
     * or of the init stub ({@code ec2spotter init stub: }, with or without the time), at the start
     * of the line or behind what a console puts before a service's output: the kernel's time and
     * {@code cloud-init[PID]: }. Not anywhere in a line, so that a kernel message quoting a process
     * name cannot pass for one.
     */
    private static final Pattern BOOT_LINE = Pattern.compile(
            "^(?:\\[\\s*\\d+\\.\\d+\\]\\s+)?(?:cloud-init\\[\\d+\\]:\\s+)?"
                    + "(?:" + TIME + "(ec2spotter)|(?:" + TIME + ")?(ec2spotter init stub)): (.*)$");

    /** A line of the boot script or of the init stub: who wrote it, and what it says. */
    public record BootLine(String line, boolean fromStub, String message) {
    }

    private ConsoleText() {
    }

    /** The console's lines, with no escape sequence and no control character but tabs left. */
    public static List<String> lines(String console) {
        List<String> lines = new ArrayList<>();
        if (console.isEmpty()) {
            return lines;
        }
        for (String raw : ESCAPE.matcher(console).replaceAll("").split("\r?\n", -1)) {
            lines.add(CONTROL.matcher(raw).replaceAll(""));
        }
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** Among cleaned lines, the boot script's and the init stub's, in the console's order. */
    public static List<BootLine> bootLines(List<String> lines) {
        List<BootLine> found = new ArrayList<>();
        for (String line : lines) {
            var m = BOOT_LINE.matcher(line);
            if (m.matches()) {
                found.add(new BootLine(line, m.group(2) != null, m.group(3).strip()));
            }
        }
        return found;
    }
}
