package io.github.ec2spotter.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.config.ConfFile;
import io.github.ec2spotter.config.CredentialsFile;
import io.github.ec2spotter.config.InputException;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.config.SettingsReader;
import io.github.ec2spotter.config.Zones;
import io.github.ec2spotter.model.AccessKeys;
import io.github.ec2spotter.plan.LaunchPlan;
import io.github.ec2spotter.testing.HostileValues;
import io.github.ec2spotter.testing.ShellHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: a hostile value either is refused with an error that names where it came from, or
 * reaches the boot script exactly, as data. Every value that reaches a script is checked by
 * running the rendered parameter block under dash and busybox sh in a mode that only prints the
 * values back (see {@link ShellHarness}), and a sample of the whole rendered scripts under
 * {@code sh -n}. The seed is fixed, so a failure replays. It runs with the integration tests
 * (a few minutes of real shells), so that {@code mvn package} stays quick.
 */
class InjectionPropertyIT {
    static final long SEED = 0x5EC0_2026L;
    /** Values generated for each conf key, each written in every quoting style. */
    static final int VALUES_PER_KEY = 3000;
    /** Values generated for each boot-script parameter fed to the renderer directly. */
    static final int VALUES_PER_PARAMETER = 1000;
    /** Values generated for each credentials field. */
    static final int VALUES_PER_SECRET = 1000;
    /** One rendered script in this many also goes through {@code sh -n} as a whole. */
    static final int SYNTAX_SAMPLE = 25;
    static final int LINE = 6;
    static final String VOLUME_ID = "vol-0123456789abcdef0";

    @TempDir
    Path dir;

    /** How a user could write a value in a conf file, each the way a shell would read it back. */
    enum Style {
        SINGLE_QUOTED(v -> "'" + v.replace("'", "'\\''") + "'"),
        DOUBLE_QUOTED(v -> {
            StringBuilder s = new StringBuilder("\"");
            v.chars().forEach(c -> {
                if ("\\\"$`".indexOf(c) >= 0) {
                    s.append('\\');
                }
                s.append((char) c);
            });
            return s.append('"').toString();
        }),
        BACKSLASH_ESCAPED(v -> {
            StringBuilder s = new StringBuilder();
            v.chars().forEach(c -> {
                if (c < 0x80 && !Character.isLetterOrDigit(c) && "_./:@%+=,^-".indexOf(c) < 0) {
                    s.append('\\');
                }
                s.append((char) c);
            });
            return s.toString();
        });

        final UnaryOperator<String> encode;

        Style(UnaryOperator<String> encode) {
            this.encode = encode;
        }
    }

    /** A conf key whose value reaches the boot script, the parameter it becomes and what that parameter must hold. */
    record Key(String name, String parameter, Function<String, String> expected, Function<LaunchSettings, String> read) {
    }

    static final List<Key> CONF_KEYS = List.of(
            new Key("volume_name", "volume_name", v -> v, LaunchSettings::volumeName),
            new Key("instance_name", "instance_name", v -> v, s -> s.instanceName().orElse("")),
            new Key("elastic_ip", "elastic_ip", v -> v, s -> s.elasticIp().orElse("")),
            new Key("launch_zone", "region", v -> Zones.regionOf(v).orElseThrow(), LaunchSettings::launchZone));

    /** A value that reached a script: which script, which parameter must hold what. */
    record Rendered(String origin, String parameter, String expected, BootScript script) {
    }

    /** Tallies for one source of values. */
    static final class Tally {
        int tried;
        int rejected;
        int passed;
        int injections;
        final List<String> failures = new ArrayList<>();
    }

    @Test
    void hostileConfValuesAreRefusedWithTheirLineOrReachTheScriptExactly() throws Exception {
        Path conf = dir.resolve("hostile.conf");
        Map<String, Tally> tallies = new LinkedHashMap<>();
        List<Rendered> rendered = new ArrayList<>();
        BootScript baseline = render(settings(conf, baseConf("")));
        for (Key key : CONF_KEYS) {
            List<String> values = new HostileValues(SEED ^ key.name().hashCode()).take(VALUES_PER_KEY);
            for (Style style : Style.values()) {
                Tally tally = tallies.computeIfAbsent(key.name() + " " + style.name().toLowerCase(), k -> new Tally());
                for (String value : values) {
                    tally.tried++;
                    String line = "ec2spotter_" + key.name() + "=" + style.encode.apply(value);
                    Files.writeString(conf, baseConf(line), StandardCharsets.UTF_8);
                    LaunchSettings settings;
                    try {
                        settings = SettingsReader.read(ConfFile.read(conf)).settings();
                    } catch (InputException e) {
                        tally.rejected++;
                        // A NUL makes the whole file binary: its line is named (after any line break
                        // the value holds before it), the key cannot be.
                        int nul = line.indexOf('\0');
                        int at = nul < 0 ? LINE : LINE + (int) line.substring(0, nul).chars().filter(c -> c == '\n').count();
                        if (!e.getMessage().contains(conf + ":" + at + ": ") || nul < 0
                                && !e.getMessage().contains("ec2spotter_" + key.name())) {
                            tally.failures.add("refused without naming " + conf + ":" + at + " and the key: "
                                    + e.getMessage() + " for " + describe(value));
                        }
                        continue;
                    } catch (RuntimeException e) {
                        tally.failures.add(e + " for " + describe(value));
                        continue;
                    }
                    if (!key.read().apply(settings).equals(value)) {
                        tally.failures.add("read as " + describe(key.read().apply(settings)) + ", written as "
                                + describe(value) + " in style " + style);
                        continue;
                    }
                    tally.passed++;
                    rendered.add(new Rendered(key.name() + " " + style.name().toLowerCase(), key.parameter(),
                            key.expected().apply(value), render(settings)));
                }
            }
        }
        checkInShells(baseline, rendered, tallies);
        report("conf values", tallies);
    }

    @Test
    void hostileValuesFromAwsAndOptionsReachEveryParameterExactly() throws Exception {
        Map<String, Tally> tallies = new LinkedHashMap<>();
        List<Rendered> rendered = new ArrayList<>();
        BootScript baseline = BootScript.render(Map.of());
        for (String parameter : BootScript.parameterNames()) {
            Tally tally = tallies.computeIfAbsent(parameter, k -> new Tally());
            for (String value : new HostileValues(SEED ^ parameter.hashCode()).take(VALUES_PER_PARAMETER)) {
                tally.tried++;
                try {
                    rendered.add(new Rendered(parameter, parameter, value, BootScript.render(Map.of(parameter, value))));
                    tally.passed++;
                } catch (IllegalArgumentException e) {
                    // The one refusal shellQuote knows: NUL, which no shell word can hold.
                    tally.rejected++;
                    if (value.indexOf('\0') < 0) {
                        tally.failures.add(e + " for " + describe(value));
                    }
                }
            }
        }
        checkInShells(baseline, rendered, tallies);
        report("render parameters", tallies);
    }

    @Test
    void hostileSecretsAreRefusedWithoutBeingShownOrEmbeddedExactly() throws Exception {
        Path creds = dir.resolve("creds");
        Map<String, Tally> tallies = new LinkedHashMap<>();
        List<Rendered> rendered = new ArrayList<>();
        LaunchSettings settings = settings(dir.resolve("base.conf"), baseConf(""));
        String id = "AKIAHOSTILETEST00001";
        String ordinarySecret = "ordinary-secret-key-0000000000";
        String ordinaryToken = "ordinary-session-token-00000000";
        BootScript baseline = LaunchPlan.bootScript(settings, Optional.of(VOLUME_ID), new LaunchPlan.BootEndpoints(Optional.empty(), Optional.empty()),
                Optional.of(new AccessKeys(id, ordinarySecret, Optional.of(ordinaryToken))));
        HostileValues values = new HostileValues(SEED);
        for (String format : List.of("legacy", "ini")) {
            for (String field : List.of("secret_access_key", "session_token")) {
                Tally tally = tallies.computeIfAbsent(format + " " + field, k -> new Tally());
                for (int i = 0; i < VALUES_PER_SECRET; i++) {
                    // Mostly printable ASCII (what a secret can be), some fully hostile values; as a
                    // value in a line of a file, without line breaks or blanks around it.
                    String value = (i % 4 == 0 ? values.next() : values.nextAsciiSecret())
                            .replaceAll("[\r\n]", "").strip();
                    String secret = field.equals("secret_access_key") ? value : ordinarySecret;
                    String token = field.equals("session_token") ? value : ordinaryToken;
                    Files.writeString(creds, format.equals("legacy")
                            ? "AWSAccessKeyId=" + id + "\nAWSSecretKey=" + secret + "\nAWSSessionToken=" + token + "\n"
                            : "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret
                                    + "\naws_session_token = " + token + "\n", StandardCharsets.UTF_8);
                    tally.tried++;
                    var read = readCredentials(creds, value, tally);
                    if (read == null) {
                        continue;
                    }
                    String got = field.equals("secret_access_key") ? read.keys().secretAccessKey()
                            : read.keys().sessionToken().orElse("");
                    // The original format allows quotes around a value, as a shell would read it.
                    String expected = format.equals("legacy") && value.length() >= 2
                            && (value.startsWith("'") && value.endsWith("'") || value.startsWith("\"")
                            && value.endsWith("\"")) ? value.substring(1, value.length() - 1) : value;
                    if (!got.equals(expected)) {
                        tally.failures.add(format + " " + field + " read as " + describe(got) + ", written as "
                                + describe(value));
                        continue;
                    }
                    tally.passed++;
                    rendered.add(new Rendered(format + " " + field, field, expected, LaunchPlan.bootScript(settings,
                            Optional.of(VOLUME_ID), new LaunchPlan.BootEndpoints(Optional.empty(), Optional.empty()),
                            Optional.of(read.keys()))));
                }
            }
        }
        checkInShells(baseline, rendered, tallies);
        report("embedded credentials", tallies);
    }

    /** The credentials, or null after counting a refusal; a refusal must not show the secret. */
    private static io.github.ec2spotter.config.Credentials.FromFile readCredentials(Path file, String secret,
                                                                                  Tally tally) {
        try {
            return CredentialsFile.read(file, Optional.empty()).credentials();
        } catch (InputException e) {
            tally.rejected++;
            if (!e.getMessage().contains(file.toString())) {
                tally.failures.add("refused without naming the file: " + e.getMessage());
            }
            if (secret.length() >= 4 && e.getMessage().contains(secret)) {
                tally.failures.add("the refusal shows the secret: " + e.getMessage());
            }
            return null;
        } catch (RuntimeException e) {
            tally.failures.add(e.getClass().getName() + " (not a clear input error)");
            return null;
        }
    }

    /**
     * Runs every rendered parameter block under each shell and compares what it prints, byte by
     * byte, with the values rendered: the parameter under test must hold the hostile value and
     * every other parameter its baseline value (nothing leaked into a neighbour). A sample of the
     * whole scripts must pass {@code sh -n}.
     */
    private void checkInShells(BootScript baseline, List<Rendered> rendered, Map<String, Tally> tallies)
            throws IOException, InterruptedException {
        List<String> parameters = List.copyOf(BootScript.parameterNames());
        for (List<String> shell : ShellHarness.SHELLS) {
            List<List<byte[]>> base = ShellHarness.run(shell, dir, List.of(block(baseline)), parameters);
            List<List<String>> blocks = rendered.stream().map(r -> block(r.script())).toList();
            List<List<byte[]>> printed = ShellHarness.run(shell, dir, blocks, parameters);
            for (int i = 0; i < rendered.size(); i++) {
                Rendered r = rendered.get(i);
                for (int p = 0; p < parameters.size(); p++) {
                    byte[] want = parameters.get(p).equals(r.parameter())
                            ? r.expected().getBytes(StandardCharsets.UTF_8) : base.get(0).get(p);
                    if (!Arrays.equals(want, printed.get(i).get(p))) {
                        tallies.get(r.origin()).injections++;
                        tallies.get(r.origin()).failures.add(String.join(" ", shell) + ": injection: "
                                + parameters.get(p) + " printed " + describe(new String(printed.get(i).get(p),
                                StandardCharsets.UTF_8)) + " instead of " + describe(new String(want,
                                StandardCharsets.UTF_8)));
                    }
                }
            }
            List<Path> sample = new ArrayList<>();
            for (int i = 0; i < rendered.size(); i += SYNTAX_SAMPLE) {
                Path file = dir.resolve("rendered-" + i + ".sh");
                Files.writeString(file, rendered.get(i).script().text(), StandardCharsets.UTF_8);
                sample.add(file);
            }
            for (Path bad : ShellHarness.syntaxErrors(shell, sample)) {
                int i = Integer.parseInt(bad.getFileName().toString().replaceAll("\\D", ""));
                tallies.get(rendered.get(i).origin()).failures.add(String.join(" ", shell) + " -n refused "
                        + bad + " (" + describe(rendered.get(i).expected()) + ")");
            }
            System.out.printf("injection property: %s: %d parameter blocks run, %d whole scripts through -n%n",
                    String.join(" ", shell), rendered.size(), sample.size());
        }
    }

    private static List<String> block(BootScript script) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String line : script.text().split("\n", -1)) {
            if (line.equals(BootScript.BLOCK_START)) {
                in = true;
            } else if (line.equals(BootScript.BLOCK_END)) {
                return lines;
            } else if (in) {
                lines.add(line);
            }
        }
        throw new AssertionError("the rendered script has no complete parameter block");
    }

    private static void report(String what, Map<String, Tally> tallies) {
        int tried = 0;
        int rejected = 0;
        int passed = 0;
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            Tally t = e.getValue();
            System.out.printf("injection property: %s: %s: tried %d, refused %d, reached the script %d,"
                    + " injections %d, other failures %d%n", what, e.getKey(), t.tried, t.rejected, t.passed,
                    t.injections, t.failures.size() - t.injections);
            tried += t.tried;
            rejected += t.rejected;
            passed += t.passed;
            t.failures.stream().limit(5).forEach(f -> failures.add(e.getKey() + ": " + f));
            t.failures.stream().skip(5).findFirst().ifPresent(f -> failures.add(e.getKey() + ": ..."));
        }
        System.out.printf("injection property: %s: TOTAL tried %d, refused %d, reached the script %d,"
                + " injections %d, other failures %d%n", what, tried, rejected, passed,
                tallies.values().stream().mapToInt(t -> t.injections).sum(),
                tallies.values().stream().mapToInt(t -> t.failures.size() - t.injections).sum());
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(tried, rejected + passed);
    }

    private static LaunchSettings settings(Path conf, String text) throws IOException {
        Files.writeString(conf, text, StandardCharsets.UTF_8);
        return SettingsReader.read(ConfFile.read(conf)).settings();
    }

    private static BootScript render(LaunchSettings settings) {
        return LaunchPlan.bootScript(settings, Optional.of(VOLUME_ID), new LaunchPlan.BootEndpoints(Optional.empty(), Optional.empty()),
                Optional.empty());
    }

    /** A valid conf; {@code line}, when given, is line {@value #LINE} and overrides a key set before it. */
    private static String baseConf(String line) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("ec2spotter_volume_name", "spotter");
        keys.put("ec2spotter_launch_zone", "us-east-1a");
        keys.put("ec2spotter_preboot_image_id", "ami-0123456789abcdef0");
        keys.put("ec2spotter_instance_type", "t3.micro");
        String name = line.isEmpty() ? "" : line.substring(0, line.indexOf('='));
        StringBuilder text = new StringBuilder("# hostile value on line " + LINE + "\n");
        keys.forEach((k, v) -> {
            if (!k.equals(name)) {
                text.append(k).append('=').append(v).append('\n');
            }
        });
        while (text.chars().filter(c -> c == '\n').count() < LINE - 1) {
            text.append("# padding\n");
        }
        return text + line + "\n";
    }

    /** A value as Java would write it, so a failure message shows exactly what was tried. */
    private static String describe(String value) {
        StringBuilder s = new StringBuilder("\"");
        String shown = value.length() > 120 ? value.substring(0, 120) : value;
        shown.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp >= 0x7f) {
                s.append(cp > 0xffff ? String.format("\\U%08x", cp) : String.format("\\u%04x", cp));
            } else if (cp == '"' || cp == '\\') {
                s.append('\\').appendCodePoint(cp);
            } else {
                s.appendCodePoint(cp);
            }
        });
        return s.append(value.length() > 120 ? "\"... (" + value.length() + " chars)" : "\"").toString();
    }
}
