package io.github.ec2spotter.text;

/**
 * Makes text safe to print on a terminal: a value read from a file or returned by AWS could
 * hold escape sequences that rewrite the user's screen, so control characters are shown as
 * {@code \xNN} / {@code \\uNNNN} instead of being sent raw.
 */
public final class Printable {
    private Printable() {
    }

    /** One value: every control or invisible formatting character escaped, line breaks included. */
    public static String of(String text) {
        return escape(text, false);
    }

    /**
     * Several lines of output: the same, but line feeds and tabs pass through, so a message of
     * several lines or a script keeps its layout.
     */
    public static String lines(String text) {
        return escape(text, true);
    }

    /** True when {@link #of} would show the text unchanged. */
    public static boolean isPlain(String text) {
        return text.codePoints().noneMatch(Printable::needsEscape);
    }

    private static String escape(String text, boolean keepLayout) {
        if (isPlain(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            if (keepLayout && (cp == '\n' || cp == '\t') || !needsEscape(cp)) {
                out.appendCodePoint(cp);
            } else if (cp < 0x80) {
                out.append(String.format("\\x%02x", cp));
            } else {
                out.append(String.format("\\u%04x", cp));
            }
        });
        return out.toString();
    }

    /**
     * C0 and C1 controls and DEL (terminal escape sequences start with them), the Unicode line
     * and paragraph separators, and the invisible characters (zero-width ones, bidirectional
     * marks, overrides and isolates) that can make a line read differently from what it holds.
     */
    private static boolean needsEscape(int cp) {
        return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || (cp >= 0x200b && cp <= 0x200f)
                || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)
                || cp == 0xfeff;
    }
}
