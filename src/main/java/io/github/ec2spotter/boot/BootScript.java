package io.github.ec2spotter.boot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Renders the on-instance boot script from the template {@code boot.sh} next to this class.
 *
 * <p>The template is a complete, runnable POSIX shell script. Between the marker lines
 * {@value #BLOCK_START} and {@value #BLOCK_END} it assigns every parameter a default, one
 * {@code name='value'} line each. Rendering replaces the value of the parameters given and
 * leaves the rest as they are, so the template itself passes {@code sh -n} and shellcheck
 * and the script that runs on an instance is the file that was tested.
 *
 * <p>The rendered script leaves out the template's comment-only lines ({@link #isComment}) and
 * the indentation of its lines, to fit EC2's user-data limit: it is the text the tests run,
 * rendered the same way. What it writes onto the volume keeps its first line (a script: two,
 * its #! and what it is, and no indentation) and no other comment: the README documents those
 * files.
 *
 * <p>A template line {@value #FILE_MARKER}{@code NAME} inside a quoted heredoc stands for the
 * resource NAME next to this class (the interruption watcher and its unit, which the script
 * writes onto the volume). Rendering puts NAME's text there, its own parameter block rendered
 * with the values of the parameters it shares with the boot script ({@code imds_url}).
 */
public final class BootScript {
    /** EC2 refuses user-data larger than this, counted before base64. */
    public static final int USER_DATA_LIMIT = 16 * 1024;

    static final String TEMPLATE = "boot.sh";
    static final String BLOCK_START = "# >>> ec2spotter parameters";
    static final String BLOCK_END = "# <<< ec2spotter parameters";
    static final String FILE_MARKER = "# >>> ec2spotter file ";
    private static final Pattern ASSIGNMENT = Pattern.compile("^([a-z][a-z0-9_]*)='[^']*'$");

    private final String text;

    private BootScript(String text) {
        this.text = text;
    }

    /** The rendered script. */
    public String text() {
        return text;
    }

    /**
     * The bytes to send as user-data: the script itself when it fits EC2's limit, otherwise
     * its gzip (cloud-init recognises gzip by its magic number and unpacks it).
     *
     * @throws IllegalStateException when even the gzip exceeds the limit
     */
    public byte[] userData() {
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        if (plain.length <= USER_DATA_LIMIT) {
            return plain;
        }
        byte[] packed = gzip(plain);
        if (packed.length > USER_DATA_LIMIT) {
            throw new IllegalStateException("the boot script is " + plain.length
                    + " bytes (" + packed.length + " gzipped); EC2 accepts at most "
                    + USER_DATA_LIMIT + " bytes of user-data");
        }
        return packed;
    }

    /** The parameter names the template declares, in template order. */
    public static Set<String> parameterNames() {
        return parameterNames(TEMPLATE);
    }

    private static Set<String> parameterNames(String resource) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : parameterBlock(resource(resource))) {
            Matcher m = ASSIGNMENT.matcher(line);
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Renders the template with launch's parameters. */
    public static BootScript render(BootParameters parameters) {
        return render(parameters.values());
    }

    /**
     * Renders the template with the given parameter values (tests also set the ones
     * {@link BootParameters} leaves at their defaults).
     *
     * @throws IllegalArgumentException for a name the template does not declare
     */
    public static BootScript render(Map<String, String> values) {
        Set<String> unknown = new LinkedHashSet<>(values.keySet());
        unknown.removeAll(parameterNames());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("the boot script template has no parameter " + String.join(", ", unknown));
        }
        // Files first, parameters after: a value holding a marker line stays a value.
        StringBuilder withFiles = new StringBuilder();
        String[] lines = resource(TEMPLATE).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(FILE_MARKER) && i + 1 < lines.length) {
                withFiles.append(embedded(lines[i].substring(FILE_MARKER.length()), lines[i + 1], values));
            } else if (i > 0 && isComment(lines[i])) {
                continue;
            } else {
                withFiles.append(lines[i].stripLeading()).append('\n');
            }
        }
        withFiles.setLength(withFiles.length() - 1);
        return new BootScript(renderParameters(withFiles.toString(), values));
    }

    /**
     * A comment-only line of the template, which the rendered script leaves out to fit EC2's
     * user-data limit; shellcheck directives and the parameter markers stay. The template has
     * no comment-like line inside a string or a heredoc that is data (the stub's heredoc is
     * code, the embedded files are added whole).
     */
    static boolean isComment(String line) {
        String text = line.stripLeading();
        return text.startsWith("#") && !text.startsWith("# shellcheck ") && !line.equals(BLOCK_START)
                && !line.equals(BLOCK_END);
    }

    /**
     * A resource next to this class with the parameters it declares set from {@code values}
     * (others in {@code values} are not its own and are left out).
     */
    static String renderResource(String resource, Map<String, String> values) {
        int kept = resource.endsWith(".sh") ? 2 : 1;
        StringBuilder code = new StringBuilder();
        String[] lines = resource(resource).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i < kept) {
                code.append(lines[i]).append('\n');
            } else if (!isComment(lines[i])) {
                code.append(kept == 2 ? lines[i].stripLeading() : lines[i]).append('\n');
            }
        }
        code.setLength(code.length() - 1);
        return renderParameters(code.toString(), values);
    }

    /** The text of {@code resource} for the heredoc that {@code end} closes; refused if a line of it is {@code end}. */
    private static String embedded(String resource, String end, Map<String, String> values) {
        String text = renderResource(resource, values);
        if (text.lines().anyMatch(end::equals)) {
            throw new IllegalArgumentException(resource + " would hold the line " + end
                    + ", which ends its heredoc in the boot script (check the parameter values)");
        }
        return text.endsWith("\n") ? text : text + "\n";
    }

    /** Sets the parameters of the first block of {@code text} that {@code values} names. */
    private static String renderParameters(String text, Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        boolean inBlock = false;
        boolean blockSeen = false;
        for (String line : text.split("\n", -1)) {
            if (line.equals(BLOCK_START) && !blockSeen) {
                inBlock = true;
            } else if (line.equals(BLOCK_END) && inBlock) {
                inBlock = false;
                blockSeen = true;
            } else if (inBlock) {
                Matcher m = ASSIGNMENT.matcher(line);
                if (m.matches() && values.containsKey(m.group(1))) {
                    line = m.group(1) + "=" + shellQuote(values.get(m.group(1)));
                }
            }
            out.append(line).append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    /**
     * The one way a value enters the script: a single-quoted shell word. Inside single quotes
     * the shell expands nothing; a single quote in the value closes the quote, adds an
     * escaped quote and reopens it.
     *
     * @throws IllegalArgumentException for a NUL, which no shell word can hold
     */
    public static String shellQuote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL character cannot be passed to a shell script");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static java.util.List<String> parameterBlock(String template) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        boolean inBlock = false;
        for (String line : template.split("\n")) {
            if (line.equals(BLOCK_START)) {
                inBlock = true;
            } else if (line.equals(BLOCK_END)) {
                break;
            } else if (inBlock) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static String resource(String name) {
        try (InputStream in = BootScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("boot script resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
