package io.github.ec2spotter.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of strings built to break shell quoting: quotes of both kinds, command
 * substitution, separators, control characters, globs, leading dashes, very long and
 * non-ASCII text. The same seed gives the same values, so a failure can be replayed.
 *
 * <p>The commands inside are harmless on purpose ({@code touch INJECTED}): a test that finds
 * broken quoting runs them for real, and must not damage the machine that runs it.
 */
public final class HostileValues {
    /** Pieces that mean something to a shell, a terminal or a parser. */
    private static final List<String> PIECES = List.of(
            "'", "\"", "'\\''", "\\'", "\\\"", "\\", "\\\\", "$(touch INJECTED)", "`touch INJECTED`", "`id`", "${HOME}",
            "$HOME", "$1", "$@", "$'\\x41'", "$((1+1))", ";", "; touch INJECTED ;", "&&", "||", "|", "&", "\n", "\r",
            "\r\n", "\t", "\0", "*", "?", "[a-z]", "~", "~root", "-", "--", "-n", "-e", "!", "#", " ", "  ", "<", ">",
            ">>", "<<EOF", "(", ")", "{", "}", "=", "%s", "%n", "\\n", "\\0", "é", "日本語", "😀", "\u202e", "\u2066",
            "\u2028", "\u2003", "\u00a0", "\u0085", "\u001b[2J", "\u001b]0;pwned\u0007", "\u007f", "\ufeff",
            "\"'\"'\"", "ec2spotter_volume_name=evil", "\nvolume_name='evil'\n", "'; volume_name='evil", "a", "spotter",
            "vol-0123456789abcdef0", "us-east-1a", "eipalloc-0abc1234");

    private final Random random;

    public HostileValues(long seed) {
        this.random = new Random(seed);
    }

    /** One value: a few pieces, sometimes random code points, sometimes very long, sometimes with a leading dash. */
    public String next() {
        StringBuilder value = new StringBuilder();
        int kind = random.nextInt(10);
        if (kind == 0) {
            value.append('-');
        }
        int parts = 1 + random.nextInt(6);
        for (int i = 0; i < parts; i++) {
            if (random.nextInt(4) == 0) {
                value.appendCodePoint(randomCodePoint());
            } else {
                value.append(PIECES.get(random.nextInt(PIECES.size())));
            }
        }
        if (kind == 1) {
            String unit = value.toString();
            int times = 1 + random.nextInt(4000 / Math.max(1, unit.length()));
            value.setLength(0);
            value.append(unit.repeat(times));
        }
        return value.toString();
    }

    /** {@code count} values. */
    public List<String> take(int count) {
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(next());
        }
        return values;
    }

    /** Printable ASCII only, as the characters of an AWS secret or session token could be. */
    public String nextAsciiSecret() {
        String specials = "'\"`$\\;&|<>(){}*?[]~!#%=+/,.:@^-_";
        StringBuilder s = new StringBuilder();
        int length = 16 + random.nextInt(100);
        while (s.length() < length) {
            if (random.nextInt(3) == 0) {
                s.append(specials.charAt(random.nextInt(specials.length())));
            } else {
                s.append((char) (0x21 + random.nextInt(0x7e - 0x21 + 1)));
            }
        }
        return s.toString();
    }

    private int randomCodePoint() {
        int cp;
        do {
            cp = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x80);
                case 1 -> 0x80 + random.nextInt(0x780);
                case 2 -> 0x800 + random.nextInt(0xf800);
                default -> 0x10000 + random.nextInt(0x10000);
            };
        } while (cp >= 0xd800 && cp <= 0xdfff);
        return cp;
    }
}
