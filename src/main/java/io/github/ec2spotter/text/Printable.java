package io.github.ec2spotter.text;

/**
 * Makes text safe to print on a terminal: a value read from a file or returned by AWS could
 * hold escape sequences that rewrite the user's screen, so control characters are shown as
 * {@code \xNN} / {@code \\uNNNN} instead of being sent raw.
 */
public final class Printable {
    private Printable() {
    }

    public static String of(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
            } else if ((cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e)
                    || (cp >= 0x2066 && cp <= 0x2069)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
