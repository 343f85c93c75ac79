package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.testing.Jar;
import io.github.ec2spotter.testing.Moto;
import io.github.ec2spotter.testing.MotoTest;
import io.github.ec2spotter.testing.Seed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No secret leaves ec2spotter except towards EC2: the jar as a process, with credentials from a
 * file (both formats), the environment and a profile, at both verbosities, succeeding and
 * failing. Searched: stdout, stderr, every file the run left in its working directory and its
 * own {@code java.io.tmpdir}, and the user-data EC2 received (plain, base64 and gzip).
 */
class SecretsIT extends MotoTest {
    static final String ACCESS_KEY_ID = "ASIASECRETSTEST00001";
    static final String SECRET = "sEcReT/never+shown=0123456789abcdefABCDEF";
    static final String TOKEN = "FwoGZXIvYXdzSESSION/token+never=shown0123456789ABCDEFabcdef";
    static final List<String> SECRETS = List.of(SECRET, TOKEN);

    @BeforeEach
    void prepare() throws IOException {
        Seed.volume(ec2, ZONE, "spotter");
    }

    /** How the credentials reach the jar. */
    enum Source { LEGACY_FILE, INI_FILE, ENVIRONMENT, PROFILE }

    /** What the run meets. */
    enum Outcome { SUCCESS, AWS_ERROR, NO_ENDPOINT }

    @Test
    void noSecretInAnyOutputFileOrUserData() throws Exception {
        List<String> leaks = new ArrayList<>();
        int runs = 0;
        long searched = 0;
        for (Source source : Source.values()) {
            for (Outcome outcome : Outcome.values()) {
                for (boolean verbose : new boolean[] {false, true}) {
                    if (!verbose && outcome != Outcome.SUCCESS) {
                        continue; // failures are run at -v, where the most is printed
                    }
                    moto.clearRecording();
                    Path work = Files.createDirectories(dir.resolve(source + "-" + outcome + "-" + verbose));
                    Path tmp = Files.createDirectories(work.resolve("tmp"));
                    Path home = Files.createDirectories(work.resolve("home"));
                    Set<Path> inputs = new java.util.HashSet<>();
                    Jar jar = Jar.built(work).env("HOME", home.toString())
                            .jvmOption("-Djava.io.tmpdir=" + tmp);
                    // Every run launches for the same volume: --force passes the duplicate guard.
                    List<String> args = new ArrayList<>(List.of("launch", "--force"));
                    if (verbose) {
                        args.add("-v");
                    }
                    Path conf = writeConf(work, outcome == Outcome.AWS_ERROR ? "ami-00000000000badbad" : seed.imageId(), "");
                    inputs.add(conf);
                    args.add(conf.toString());
                    credentials(source, work, jar, args, inputs);
                    jar.env("AWS_ENDPOINT_URL_EC2", outcome == Outcome.NO_ENDPOINT ? closedEndpoint() : moto.endpoint());

                    Jar.Result r = jar.run(args.toArray(String[]::new));
                    runs++;

                    int expected = outcome == Outcome.SUCCESS ? 0 : 1;
                    assertEquals(expected, r.exitCode(), source + " " + outcome + ": " + r);
                    String where = source + " " + outcome + (verbose ? " -v" : "") + ": ";
                    searched += search(where + "stdout", r.stdout(), leaks) + search(where + "stderr", r.stderr(), leaks);
                    searched += searchFiles(where, work, inputs, leaks);
                    for (Moto.Call call : moto.calls("RequestSpotInstances")) {
                        searched += search(where + "user-data", call.userData(), leaks);
                    }
                }
            }
        }
        System.out.printf("secrets: %d runs (4 credential sources x (success, success -v, AWS error -v, no endpoint -v)), %d bytes searched,"
                + " %d leaks%n", runs, searched, leaks.size());
        assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    }

    @Test
    void noSecretInTheOutputOfTheOtherCommands() throws Exception {
        List<String> leaks = new ArrayList<>();
        int runs = 0;
        for (Source source : Source.values()) {
            // launch makes a request for status to show and stop to end; each at -v, where the most is printed.
            // setup signs IAM calls with the same keys (the first run makes the role, the others find it).
            for (String command : List.of("setup", "launch", "status", "logs", "ssh", "snapshot", "cleanup", "prices", "stop")) {
                Path work = Files.createDirectories(dir.resolve(source + "-" + command));
                Path home = Files.createDirectories(work.resolve("home"));
                Set<Path> inputs = new java.util.HashSet<>();
                Jar jar = Jar.built(work).env("HOME", home.toString())
                        .jvmOption("-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp")))
                        .env("AWS_ENDPOINT_URL_EC2", moto.endpoint())
                        .env("AWS_ENDPOINT_URL_IAM", moto.endpoint());
                List<String> args = new ArrayList<>(List.of(command, "-v"));
                if (command.equals("stop") || command.equals("cleanup")) {
                    args.add("--yes");
                }
                if (command.equals("ssh")) {
                    args.add("--print");
                }
                Path conf = writeConf(work, seed.imageId(), "");
                inputs.add(conf);
                args.add(conf.toString());
                credentials(source, work, jar, args, inputs);

                Jar.Result r = jar.run(args.toArray(String[]::new));
                runs++;

                assertEquals(0, r.exitCode(), source + " " + command + ": " + r);
                String where = source + " " + command + " -v: ";
                search(where + "stdout", r.stdout(), leaks);
                search(where + "stderr", r.stderr(), leaks);
                searchFiles(where, work, inputs, leaks);
            }
        }
        System.out.printf("secrets: %d runs of setup, launch, status, logs, prices and stop at -v, %d leaks%n", runs, leaks.size());
        assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    }

    @Test
    void embedOptInPutsTheKeysIntoUserDataWithAWarning() throws Exception {
        Path work = Files.createDirectories(dir.resolve("embed"));
        Jar jar = Jar.built(work).env("AWS_ENDPOINT_URL_EC2", moto.endpoint())
                .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID).env("AWS_SECRET_ACCESS_KEY", SECRET)
                .env("AWS_SESSION_TOKEN", TOKEN);

        Jar.Result r = jar.run("launch", "-v", writeConf(work, seed.imageId(), "ec2spotter_embed_credentials=yes\n").toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("warning: ec2spotter_embed_credentials=yes: your AWS keys go into the user-data"),
                r::toString);
        String script = moto.calls("RequestSpotInstances").get(0).userData();
        assertTrue(script.contains("\naccess_key_id='" + ACCESS_KEY_ID + "'\n"), script);
        assertTrue(script.contains("\nsecret_access_key='" + SECRET + "'\n"), script);
        assertTrue(script.contains("\nsession_token='" + TOKEN + "'\n"), script);
        List<String> leaks = new ArrayList<>();
        search("stdout", r.stdout(), leaks);
        search("stderr", r.stderr(), leaks);
        assertTrue(leaks.isEmpty(), "the keys go to user-data only: " + leaks);
    }

    private void credentials(Source source, Path work, Jar jar, List<String> args, Set<Path> inputs)
            throws IOException {
        switch (source) {
            case LEGACY_FILE -> args.add(privateFile(work.resolve("aws.creds"), "AWSAccessKeyId=" + ACCESS_KEY_ID
                    + "\nAWSSecretKey=" + SECRET + "\nAWSSessionToken=" + TOKEN + "\n", inputs).toString());
            case INI_FILE -> {
                args.add(privateFile(work.resolve("credentials"), "[default]\naws_access_key_id = AKIDOTHER00000000000\n"
                        + "aws_secret_access_key = other-secret-0000000000\n[work]\naws_access_key_id = "
                        + ACCESS_KEY_ID + "\naws_secret_access_key = " + SECRET + "\naws_session_token = " + TOKEN
                        + "\n", inputs).toString());
                args.addAll(List.of("--profile", "work"));
            }
            case ENVIRONMENT -> jar.env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID).env("AWS_SECRET_ACCESS_KEY", SECRET)
                    .env("AWS_SESSION_TOKEN", TOKEN);
            case PROFILE -> {
                Path file = privateFile(work.resolve("shared-credentials"), "[work]\naws_access_key_id = "
                        + ACCESS_KEY_ID + "\naws_secret_access_key = " + SECRET + "\naws_session_token = " + TOKEN
                        + "\n", inputs);
                jar.env("AWS_SHARED_CREDENTIALS_FILE", file.toString())
                        .env("AWS_CONFIG_FILE", work.resolve("no-config").toString());
                args.addAll(List.of("--profile", "work"));
            }
        }
    }

    private static Path privateFile(Path file, String text, Set<Path> inputs) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        inputs.add(file);
        return file;
    }

    private static String closedEndpoint() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    /** Every file under {@code root} except the inputs the test wrote; returns the bytes searched. */
    private static long searchFiles(String where, Path root, Set<Path> inputs, List<String> leaks) throws IOException {
        long bytes = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !inputs.contains(f)).toList()) {
                bytes += search(where + root.relativize(f), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1),
                        leaks);
            }
        }
        return bytes;
    }

    /** Looks for each secret as it is, and in base64 at each of the three byte alignments; returns the length searched. */
    private static long search(String where, String text, List<String> leaks) {
        for (String secret : SECRETS) {
            if (text.contains(secret)) {
                leaks.add(where + " holds " + secret);
            }
            for (int shift = 0; shift < 3; shift++) {
                String encoded = Base64.getEncoder().encodeToString(("xx".substring(0, shift) + secret)
                        .getBytes(StandardCharsets.UTF_8));
                String core = encoded.substring(4, encoded.length() - 4);
                if (text.contains(core)) {
                    leaks.add(where + " holds " + secret + " in base64");
                }
            }
        }
        return text.length();
    }
}
