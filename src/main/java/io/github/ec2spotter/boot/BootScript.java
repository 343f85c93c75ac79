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
import java.util.zip.GZIPOutputStream;

/**
 * Renders the on-instance boot script from the template {@code boot.sh} next to this class.
 *
 * <p>The template is a complete, runnable POSIX shell script. Between the marker lines
 * {@value #BLOCK_START} and {@value #BLOCK_END} it assigns every parameter a default, one
 * {@code name='value'} line each. Rendering replaces the value of the parameters given and
 * leaves the rest as they are, so the template itself passes {@code sh -n} and shellcheck
 * and the script that runs on an instance is the file that was tested.
 */
public final class BootScript {
    /** EC2 refuses user-data larger than this, counted before base64. */
    public static final int USER_DATA_LIMIT = 16 * 1024;

    static final String TEMPLATE = "boot.sh";
    static final String BLOCK_START = "# >>> ec2spotter parameters";
    static final String BLOCK_END = "# <<< ec2spotter parameters";
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
        Set<String> names = new LinkedHashSet<>();
        for (String line : parameterBlock(template())) {
            Matcher m = ASSIGNMENT.matcher(line);
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * Renders the template with the given parameter values.
     *
     * @throws IllegalArgumentException for a name the template does not declare
     */
    public static BootScript render(Map<String, String> values) {
        Map<String, String> pending = new LinkedHashMap<>(values);
        StringBuilder out = new StringBuilder();
        boolean inBlock = false;
        for (String line : template().split("\n", -1)) {
            if (line.equals(BLOCK_START)) {
                inBlock = true;
            } else if (line.equals(BLOCK_END)) {
                inBlock = false;
            } else if (inBlock) {
                Matcher m = ASSIGNMENT.matcher(line);
                if (m.matches() && pending.containsKey(m.group(1))) {
                    String name = m.group(1);
                    line = name + "=" + shellQuote(pending.remove(name));
                }
            }
            out.append(line).append('\n');
        }
        if (!pending.isEmpty()) {
            throw new IllegalArgumentException("the boot script template has no parameter "
                    + String.join(", ", pending.keySet()));
        }
        out.setLength(out.length() - 1);
        return new BootScript(out.toString());
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

    private static String template() {
        try (InputStream in = BootScript.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("boot script template " + TEMPLATE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
