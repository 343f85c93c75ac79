package io.github.ec2spotter.config;

import io.github.ec2spotter.text.Printable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code ec2spotter_<key>=<value>} lines of a conf file, read the way a shell would read
 * plain assignments, but never executed: a value that the shell would expand or run
 * ({@code $}, backticks, unquoted specials) is refused instead of being guessed at.
 */
public final class ConfFile {
    static final String PREFIX = "ec2spotter_";

    /** One assignment, with the line it came from so errors can point at it. */
    public record Entry(String key, String value, int line) {
    }

    private final Path path;
    private final Map<String, Entry> entries;
    private final List<String> warnings;

    private ConfFile(Path path, Map<String, Entry> entries, List<String> warnings) {
        this.path = path;
        this.entries = entries;
        this.warnings = warnings;
    }

    public static ConfFile read(Path path) {
        return parse(path, InputFiles.readText(path, "conf file"));
    }

    static ConfFile parse(Path path, String text) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        refuseCredentials(path, lines);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = stripBlanks(lines[i]);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ") || line.startsWith("export\t")) {
                line = stripBlanks(line.substring("export".length()));
            }
            int eq = line.indexOf('=');
            String name = eq > 0 ? line.substring(0, eq) : "";
            String spaced = stripBlanks(name);
            if (!spaced.equals(name) && spaced.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new InputException(path + ":" + number + ": " + Printable.of(spaced) + ": no spaces around ="
                        + " (a shell would run " + Printable.of(spaced) + " as a command); write "
                        + Printable.of(spaced) + "=<value>");
            }
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new InputException(path + ":" + number
                        + ": expected a line of the form ec2spotter_<key>=<value> (nothing in a conf file is run)");
            }
            String value = new ValueReader(path, number, name, line.substring(eq + 1)).read();
            if (!name.startsWith(PREFIX)) {
                warnings.add(path + ":" + number + ": " + name + " is not an ec2spotter_ setting; ignored");
                continue;
            }
            String key = name.substring(PREFIX.length());
            Entry previous = entries.get(key);
            if (previous != null) {
                throw new InputException(path + ":" + number + ": " + name + " is already set on line "
                        + previous.line() + "; set it once");
            }
            entries.put(key, new Entry(key, value, number));
        }
        return new ConfFile(path, entries, warnings);
    }

    /** The key names of the two credentials file formats; their values are never shown. */
    private static final java.util.Set<String> CREDENTIAL_KEYS = java.util.Set.of("aws_access_key_id",
            "aws_secret_access_key", "aws_session_token", "AWSAccessKeyId", "AWSSecretKey");

    /**
     * Arguments swapped (the credentials file given as CONF) would otherwise read as a file of
     * unknown lines, or fail at its {@code [default]} header: say what it is instead.
     */
    private static void refuseCredentials(Path path, String[] lines) {
        if (java.util.Arrays.stream(lines).anyMatch(l -> l.contains(PREFIX))) {
            return;
        }
        for (int i = 0; i < lines.length; i++) {
            String line = stripBlanks(lines[i]);
            int eq = line.indexOf('=');
            String name = eq > 0 ? stripBlanks(line.substring(0, eq)) : "";
            if (CREDENTIAL_KEYS.contains(name) || line.matches("\\[[^]]+]")) {
                throw new InputException(path + ":" + (i + 1) + ": this looks like an AWS credentials file ("
                        + (name.isEmpty() ? "a section header " + Printable.of(line) : "the key " + name)
                        + "), not a conf file: give the conf file first, then the credentials file:"
                        + " ec2spotter <command> CONF [CREDS]");
            }
        }
    }

    /**
     * A shell separates words by blanks (space and tab) only; other white space, such as a
     * no-break or em space, is part of a value.
     */
    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** Blanks off both ends; a CR left at the end of the last line of a CRLF file is a line end, not data. */
    private static String stripBlanks(String text) {
        int start = 0;
        int end = text.length();
        if (end > 0 && text.charAt(end - 1) == '\r') {
            end--;
        }
        while (start < end && isBlank(text.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    public Path path() {
        return path;
    }

    /** The line setting {@code ec2spotter_<key>}, even to an empty value. */
    public Optional<Entry> line(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** The value of {@code ec2spotter_<key>}; an empty value counts as absent, as it would in the shell. */
    public Optional<Entry> get(String key) {
        Entry e = entries.get(key);
        return e == null || e.value().isEmpty() ? Optional.empty() : Optional.of(e);
    }

    public Iterable<Entry> entries() {
        return entries.values();
    }

    /** Lines that were read but have no effect, for the user to see. */
    public List<String> warnings() {
        return warnings;
    }

    /** Reads one shell word made of unquoted, 'single' and "double" quoted pieces, optionally followed by a comment. */
    private static final class ValueReader {
        private static final String UNQUOTED_SPECIALS = "$`;&|<>(){}*?[]~!";

        private final Path path;
        private final int line;
        private final String name;
        private final String text;
        private int pos;

        ValueReader(Path path, int line, String name, String text) {
            this.path = path;
            this.line = line;
            this.name = name;
            this.text = text;
        }

        String read() {
            String after = stripBlanks(text);
            if (!text.isEmpty() && isBlank(text.charAt(0)) && !after.isEmpty() && !after.startsWith("#")) {
                // NAME= value is, to a shell, an empty NAME for the run of a command called value.
                throw error("no spaces around = (a shell would run the value as a command); write " + name
                        + "=<value>, quoted if it holds spaces");
            }
            // A shell word is a run of quoted and unquoted pieces up to the first blank: 'it'\''s' is it's.
            StringBuilder value = new StringBuilder();
            while (pos < text.length() && !isBlank(text.charAt(pos))) {
                char c = text.charAt(pos);
                if (c == '\'') {
                    readSingleQuoted(value);
                } else if (c == '"') {
                    readDoubleQuoted(value);
                } else if (c == '\\') {
                    if (pos + 1 >= text.length()) {
                        throw error("a backslash ends the line; line continuations are not supported");
                    }
                    value.append(text.charAt(pos + 1));
                    pos += 2;
                } else if (UNQUOTED_SPECIALS.indexOf(c) >= 0) {
                    throw error("'" + c + "' in an unquoted value; put the value in single quotes");
                } else {
                    value.append(c);
                    pos++;
                }
            }
            String rest = stripBlanks(text.substring(pos));
            if (!rest.isEmpty() && !rest.startsWith("#")) {
                throw error("unexpected text after the value: " + Printable.of(rest)
                        + " (quote a value that contains spaces)");
            }
            return value.toString();
        }

        private void readSingleQuoted(StringBuilder out) {
            int end = text.indexOf('\'', pos + 1);
            if (end < 0) {
                throw error("the single quote is not closed on this line");
            }
            out.append(text, pos + 1, end);
            pos = end + 1;
        }

        private void readDoubleQuoted(StringBuilder out) {
            pos++;
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return;
                }
                if (c == '$' || c == '`') {
                    throw error("'" + c + "' inside double quotes would be expanded by a shell and is not supported;"
                            + " use single quotes for a literal value");
                }
                if (c == '\\' && pos < text.length() && "$`\"\\".indexOf(text.charAt(pos)) >= 0) {
                    c = text.charAt(pos++);
                }
                out.append(c);
            }
            throw error("the double quote is not closed on this line");
        }

        private InputException error(String what) {
            return new InputException(path + ":" + line + ": " + name + ": " + what);
        }
    }
}
