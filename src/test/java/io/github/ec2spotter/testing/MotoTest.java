package io.github.ec2spotter.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The fixture of the tests that run the jar against EC2: one moto_server per test class, reset
 * and seeded (VPC, subnet, security group, key pair, AMI) before each test. A subclass's own
 * {@code @BeforeEach} runs after this one's.
 */
public abstract class MotoTest {
    public static final String ZONE = "us-east-1a";
    public static final String REGION = "us-east-1";
    /** How launch names the spot request it made, on stdout. */
    public static final Pattern REQUEST_ID = Pattern.compile("Spot request (sir-[0-9a-z]+)");

    @TempDir
    protected static Path shared;
    protected static Moto moto;
    protected static Ec2Client ec2;

    @TempDir
    protected Path dir;
    protected Seed seed;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = Moto.start(shared);
        ec2 = moto.client(REGION);
    }

    @AfterAll
    static void stopMoto() throws Exception {
        ec2.close();
        moto.close();
    }

    @BeforeEach
    void resetMotoAndSeed() throws IOException {
        moto.reset();
        seed = Seed.create(ec2, ZONE);
    }

    /**
     * Writes {@code work/spotter.conf} for the volume named spotter in {@link #ZONE}, booting
     * {@code image}, with an instance profile and {@code extra} lines appended.
     */
    protected static Path writeConf(Path work, String image, String extra) throws IOException {
        Path conf = work.resolve("spotter.conf");
        Files.writeString(conf, """
                ec2spotter_volume_name=spotter
                ec2spotter_launch_zone=%s
                ec2spotter_preboot_image_id=%s
                ec2spotter_instance_type=t3.micro
                ec2spotter_iam_instance_profile=spotter-role
                """.formatted(ZONE, image) + extra);
        return conf;
    }

    /** The spot request id launch printed; fails the test unless launch succeeded. */
    protected static String requestIdOf(Jar.Result launch) {
        assertEquals(0, launch.exitCode(), launch::toString);
        Matcher m = REQUEST_ID.matcher(launch.stdout());
        assertTrue(m.find(), launch::toString);
        return m.group(1);
    }

    /** moto's keys in {@code dir/.aws.creds}, the original tool's format, readable by the owner only. */
    protected Path motoCreds() throws IOException {
        Path creds = dir.resolve(".aws.creds");
        Files.writeString(creds, "AWSAccessKeyId=" + Moto.ACCESS_KEY_ID + "\nAWSSecretKey=" + Moto.SECRET_ACCESS_KEY + "\n");
        Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-------"));
        return creds;
    }
}
