package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.testing.Jar;
import io.github.ec2spotter.testing.Moto;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conf and credentials files that are not what they should be: each ends in one error line
 * naming the file, exit 2, no stack trace, and no AWS call (the endpoint is a closed port, so a
 * call would end in exit 1 instead).
 */
class InputFilesIT {
    @TempDir
    Path dir;
    Jar jar;
    Path goodConf;
    Path goodCreds;

    @BeforeEach
    void files() throws IOException {
        // Readable for the unprivileged user the unreadable-file case runs as.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        goodConf = dir.resolve("good.conf");
        Files.writeString(goodConf, """
                ec2spotter_volume_name=spotter
                ec2spotter_launch_zone=us-east-1a
                ec2spotter_preboot_image_id=ami-0123456789abcdef0
                ec2spotter_instance_type=t3.micro
                """);
        goodCreds = dir.resolve("good.creds");
        Files.writeString(goodCreds, "AWSAccessKeyId=" + Moto.ACCESS_KEY_ID + "\nAWSSecretKey=" + Moto.SECRET_ACCESS_KEY
                + "\n");
        Files.setPosixFilePermissions(goodCreds, PosixFilePermissions.fromString("rw-------"));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            jar = Jar.built(dir).env("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:" + s.getLocalPort());
        }
    }

    /** One bad file, how to make it, and what the error must say about it. */
    record Bad(String name, String expected, Maker maker) {
    }

    interface Maker {
        void make(Path file) throws IOException;
    }

    static final List<Bad> BAD = List.of(
            new Bad("empty", "is empty", f -> Files.write(f, new byte[0])),
            new Bad("blank", "is empty", f -> Files.writeString(f, "\n  \n\t\n")),
            new Bad("binary", ": a NUL byte; this is a binary file, not text", f -> {
                byte[] bytes = new byte[4096];
                new Random(8).nextBytes(bytes);
                bytes[100] = 0;
                Files.write(f, bytes);
            }),
            new Bad("latin1", "is not a UTF-8 text file", f -> Files.write(f, "ec2spotter_volume_name=caf\u00e9\n"
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))),
            new Bad("huge", "is larger than 65536 bytes", f -> {
                byte[] line = "# padding padding padding padding padding padding padding padding padding\n".getBytes();
                try (var out = Files.newOutputStream(f)) {
                    for (int written = 0; written < 10 * 1024 * 1024; written += line.length) {
                        out.write(line);
                    }
                }
            }),
            new Bad("directory", "is a directory, not a file", Files::createDirectory),
            new Bad("dangling", "is a symbolic link to a file that does not exist",
                    f -> Files.createSymbolicLink(f, f.resolveSibling("nothing-here"))),
            new Bad("missing", "does not exist", f -> { }));

    @Test
    void badConfFiles() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Bad bad : BAD) {
            Path file = dir.resolve("conf-" + bad.name());
            bad.maker().make(file);
            check("conf file " + bad.name(), jar.run("launch", file.toString(), goodCreds.toString()), file,
                    bad.expected(), failures);
            check("user-data, conf file " + bad.name(), jar.run("user-data", file.toString()), file, bad.expected(),
                    failures);
        }
        check("conf /dev/zero", jar.run("launch", "/dev/zero", goodCreds.toString()), Path.of("/dev/zero"),
                "is larger than 65536 bytes", failures);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void badCredentialsFiles() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Bad bad : BAD) {
            Path file = dir.resolve("creds-" + bad.name());
            bad.maker().make(file);
            check("credentials file " + bad.name(), jar.run("launch", goodConf.toString(), file.toString()), file,
                    bad.expected(), failures);
        }
        check("credentials /dev/zero", jar.run("launch", goodConf.toString(), "/dev/zero"), Path.of("/dev/zero"),
                "is larger than 65536 bytes", failures);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void unreadableFiles() throws Exception {
        // Root reads every file, so as root the jar runs as nobody (runuser); otherwise as this user.
        boolean root = "root".equals(System.getProperty("user.name"));
        Path conf = dir.resolve("unreadable.conf");
        Files.copy(goodConf, conf);
        Path creds = dir.resolve("unreadable.creds");
        Files.copy(goodCreds, creds);
        Path readableCreds = dir.resolve("readable.creds");
        Files.copy(goodCreds, readableCreds);
        Files.setPosixFilePermissions(readableCreds, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(goodConf, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString(root ? "rw-------" : "---------"));
        Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString(root ? "rw-------" : "---------"));
        if (root) {
            jar.asUser("nobody");
        }
        List<String> failures = new ArrayList<>();

        check("unreadable conf", jar.run("launch", conf.toString(), readableCreds.toString()), conf,
                "is not readable (permission denied)", failures);
        check("unreadable credentials", jar.run("launch", goodConf.toString(), creds.toString()), creds,
                "is not readable (permission denied)", failures);
        Path hidden = Files.createDirectory(dir.resolve("hidden"));
        Path inside = Files.copy(goodConf, hidden.resolve("spotter.conf"));
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString(root ? "rwx------" : "---------"));
        check("conf in a closed directory", jar.run("launch", inside.toString(), readableCreds.toString()), inside,
                "cannot be reached: permission denied on a directory above it", failures);
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rwx------"));
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static void check(String what, Jar.Result r, Path file, String expected, List<String> failures) {
        List<String> lines = r.stderr().lines().toList();
        String want = "error: ";
        if (r.exitCode() != 2) {
            failures.add(what + ": exit " + r.exitCode() + " instead of 2: " + r);
        } else if (lines.size() != 1 || !lines.get(0).startsWith(want) || !lines.get(0).contains(file.toString())
                || !lines.get(0).contains(expected)) {
            failures.add(what + ": expected one line naming " + file + " and saying '" + expected + "': " + r);
        } else if (r.stderr().contains("Exception") || r.stderr().contains("\tat ") || !r.stdout().isEmpty()) {
            failures.add(what + ": " + r);
        }
        System.out.printf("input files: %s: exit %d: %s%n", what, r.exitCode(), lines.isEmpty() ? "" : lines.get(0));
        assertFalse(r.stderr().length() > 2000, what + ": a short message: " + r);
    }
}
