package io.github.ec2spotter.text;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Words written as one line to paste into a POSIX shell: a word with anything but safe characters is single-quoted. */
public final class ShellWords {
    private static final Pattern SAFE_WORD = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ShellWords() {
    }

    public static String line(List<String> words) {
        return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }

    public static String quote(String word) {
        return SAFE_WORD.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
