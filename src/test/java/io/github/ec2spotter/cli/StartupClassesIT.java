package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.testing.Jar;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing heavy on the start-up path: the commands that never call AWS must not load a single
 * AWS SDK class. The jar runs as a process with the JVM's class-loading log in a file.
 */
class StartupClassesIT {
    private static final String SDK = "software.amazon.awssdk.";
    private static final String IAM = "software.amazon.awssdk.services.iam.";
    private static final String VALID_CONF = """
            ec2spotter_volume_name=spotter
            ec2spotter_launch_zone=us-east-1a
            ec2spotter_preboot_image_id=ami-0123456789abcdef0
            ec2spotter_instance_type=g4dn.xlarge
            ec2spotter_iam_instance_profile=role
            """;

    @TempDir
    Path dir;

    @Test
    void helpLoadsNoSdkClass() throws Exception {
        assertNoSdkClass(run(0, "--help"));
        assertNoSdkClass(run(0, "launch", "--help"));
        assertNoSdkClass(run(0, "setup", "--help"));
    }

    /** Help and version come from the pages: not even picocli is loaded. */
    @Test
    void helpAndVersionLoadNoPicocliClass() throws Exception {
        for (List<String> request : List.of(List.of("--help"), List.of("--version"), List.of("launch", "-h"),
                List.of("help", "status"))) {
            List<String> picocli = run(0, request.toArray(String[]::new)).stream()
                    .filter(c -> c.startsWith("picocli.")).toList();
            assertEquals(List.of(), picocli, request::toString);
        }
    }

    /** A run builds the model of its own command only; the control is the class-load log showing it. */
    @Test
    void aRunLoadsOnlyItsOwnCommand() throws Exception {
        List<String> commands = run(0, "user-data", conf(VALID_CONF).toString()).stream()
                .filter(c -> c.startsWith("io.github.ec2spotter.cli.") && c.endsWith("Command"))
                .toList();
        assertEquals(List.of("io.github.ec2spotter.cli.BaseCommand", "io.github.ec2spotter.cli.UserDataCommand"),
                commands.stream().filter(c -> !c.endsWith("Ec2SpotterCommand")).sorted().toList());
    }

    @Test
    void versionLoadsNoSdkClass() throws Exception {
        assertNoSdkClass(run(0, "--version"));
    }

    @Test
    void userDataLoadsNoSdkClass() throws Exception {
        assertNoSdkClass(run(0, "user-data", conf(VALID_CONF).toString()));
    }

    @Test
    void confErrorLoadsNoSdkClass() throws Exception {
        Path conf = conf("ec2spotter_volume_name=spotter\n");
        assertNoSdkClass(run(2, "launch", conf.toString()));
        assertNoSdkClass(run(2, "launch", dir.resolve("missing.conf").toString()));
    }

    /** The control: a launch that does reach for EC2 (a closed loopback port) shows up in the same log. */
    @Test
    void theLogShowsSdkClassesWhenLaunchCallsEc2() throws Exception {
        Path conf = conf(VALID_CONF);
        Path creds = Files.writeString(dir.resolve("creds"), "AWSAccessKeyId=AKIDEXAMPLE00000001\nAWSSecretKey=not-a-secret-only-a-test\n");
        List<String> loaded = run(1, "launch", conf.toString(), creds.toString());
        assertTrue(loaded.stream().anyMatch(c -> c.startsWith("software.amazon.awssdk.services.ec2.")),
                "the class-load log did not record the EC2 client");
        assertEquals(List.of(), loaded.stream().filter(c -> c.startsWith(IAM)).toList(), "launch loaded IAM classes");
        assertFalse(loaded.contains("javax.net.ssl.SSLContext"), "TLS was set up for an http:// endpoint");
    }

    /** IAM's classes are setup's alone; the control is setup itself, reaching for IAM at a closed port. */
    @Test
    void onlySetupLoadsIamClasses() throws Exception {
        Path conf = conf(VALID_CONF);
        Path creds = Files.writeString(dir.resolve("creds"), "AWSAccessKeyId=AKIDEXAMPLE00000001\nAWSSecretKey=not-a-secret-only-a-test\n");
        List<String> status = run(1, "status", conf.toString(), creds.toString());
        assertTrue(status.stream().anyMatch(c -> c.startsWith("software.amazon.awssdk.services.ec2.")), "status: no EC2 client");
        assertEquals(List.of(), status.stream().filter(c -> c.startsWith(IAM)).toList(), "status loaded IAM classes");
        List<String> setup = run(1, "setup", conf.toString(), creds.toString());
        assertTrue(setup.stream().anyMatch(c -> c.startsWith(IAM + "IamClient")), "setup: the log shows no IAM client");
        assertEquals(List.of(), setup.stream().filter(c -> c.startsWith("software.amazon.awssdk.services.ec2.")).toList(),
                "setup needs no EC2 classes");
    }

    private Path conf(String text) throws IOException {
        return Files.writeString(dir.resolve("test.conf"), text);
    }

    /** Runs the jar and returns the names of the classes it loaded. */
    private List<String> run(int exitCode, String... args) throws Exception {
        Path log = Files.createTempFile(dir, "classes", ".log");
        Jar.Result r = Jar.built(dir)
                .env("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:" + closedPort())
                .env("AWS_ENDPOINT_URL_IAM", "http://127.0.0.1:" + closedPort())
                .jvmOption("-Xlog:class+load=info:file=" + log + "::filecount=0")
                .run(args);
        assertEquals(exitCode, r.exitCode(), r::toString);
        // Lines look like "[0.012s][info][class,load] java.lang.Object source: shared objects file".
        List<String> classes = Files.readAllLines(log).stream()
                .map(line -> line.substring(line.lastIndexOf(']') + 1).strip())
                .map(rest -> rest.split(" ", 2)[0])
                .toList();
        assertTrue(classes.contains("io.github.ec2spotter.Main"), "the class-load log is not complete: " + log);
        return classes;
    }

    private static void assertNoSdkClass(List<String> classes) {
        List<String> sdk = classes.stream().filter(c -> c.startsWith(SDK)).toList();
        assertFalse(!sdk.isEmpty(), "AWS SDK classes loaded: " + sdk.subList(0, Math.min(10, sdk.size())));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
