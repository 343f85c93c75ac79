package io.github.ec2spotter.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The boot script's Signature Version 4 signer (sha256sum under dash and busybox sh) against AWS's
 * published example and against the SDK's own signer on the same inputs. moto does not check
 * signatures, so this is what proves them.
 */
class SigV4SignerTest {
    static final String DRIVER = """
            EC2SPOTTER_LIBRARY=yes . "$1"
            region=$2 secret_access_key=$3 session_token=$4
            host=$5 amz_date=$6 method=$7 query=$8
            shift 8
            if [ "$method" = POST ]; then
                body=$(ec2_form "$@")
                hash=$(printf '%s' "$body" | sha256_hex)
                headers=$(ec2_headers "$host" "$amz_date" "$hash")
            else
                body=''
                hash=$(printf '' | sha256_hex)
                headers=$(printf 'content-type:%s\\nhost:%s\\nx-amz-date:%s' "$form_type" "$host" "$amz_date")
            fi
            creq=$(sigv4_canonical_request "$method" / "$query" "$headers" "$hash")
            printf '%s\\0%s\\0%s' "$body" "$creq" "$(sigv4_signature "$service" "$amz_date" "$creq")"
            """;

    @TempDir
    static Path dir;
    static Path script;
    static Path driver;

    @BeforeAll
    static void write() throws IOException {
        Shells.require("dash", "dash");
        Shells.require("busybox", "busybox-static");
        Shells.require("sha256sum", "coreutils");
        script = Files.writeString(dir.resolve("boot.sh"), Shells.template());
        driver = Files.writeString(dir.resolve("sign.sh"), DRIVER);
    }

    record ShellSigned(String body, String canonicalRequest, String signature) {
    }

    static ShellSigned shellSign(List<String> shell, String service, String region, String secret, String token,
                                 String host, String amzDate, String method, String query, String... pairs) {
        List<String> command = Shells.with(shell, driver.toString(), script.toString(), region, secret, token,
                host, amzDate, method, query);
        command.addAll(List.of(pairs));
        Shells.Result r = Shells.run(command, Map.of("service", service), dir, Duration.ofSeconds(60));
        assertEquals(0, r.exit(), r.both());
        String[] parts = r.stdout().split("\0", -1);
        assertEquals(3, parts.length, r.stdout());
        return new ShellSigned(parts[0], parts[1], parts[2]);
    }

    /**
     * AWS's documented example: GET iam ListUsers with AKIDEXAMPLE's secret on 2015-08-30,
     * canonical request hash f536975d... and signature 5d672d79....
     */
    @Test
    void reproducesAwsPublishedExample() {
        for (List<String> shell : Shells.POSIX_SHELLS) {
            ShellSigned s = shellSign(shell, "iam", "us-east-1", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "",
                    "iam.amazonaws.com", "20150830T123600Z", "GET", "Action=ListUsers&Version=2010-05-08");
            assertEquals("""
                    GET
                    /
                    Action=ListUsers&Version=2010-05-08
                    content-type:application/x-www-form-urlencoded; charset=utf-8
                    host:iam.amazonaws.com
                    x-amz-date:20150830T123600Z

                    content-type;host;x-amz-date
                    e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""", s.canonicalRequest(), shell.toString());
            assertEquals("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
                    sha256Hex(s.canonicalRequest()));
            assertEquals("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", s.signature(), shell.toString());
        }
    }

    @Test
    void matchesTheSdkSignerOnEc2Calls() {
        record Case(String endpoint, String host, String region, String token, Instant time, String[] pairs) {
        }
        List<Case> cases = List.of(
                new Case("https://ec2.us-east-1.amazonaws.com", "ec2.us-east-1.amazonaws.com", "us-east-1", "",
                        Instant.parse("2026-03-01T10:20:30Z"),
                        new String[] {"Action=DescribeVolumes", "VolumeId.1=vol-0123456789abcdef0"}),
                new Case("https://ec2.eu-central-1.amazonaws.com", "ec2.eu-central-1.amazonaws.com", "eu-central-1",
                        "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+token/with=chars",
                        Instant.parse("2025-12-31T23:59:59Z"),
                        new String[] {"Action=CreateTags", "ResourceId.1=i-0abc", "Tag.1.Key=Name",
                            "Tag.1.Value=dev box 'quoted' \"x\" & = + / ~ é ☃ $(id)"}),
                new Case("http://127.0.0.1:41234", "127.0.0.1:41234", "us-west-2", "session-token",
                        Instant.parse("2026-07-04T00:00:00Z"),
                        new String[] {"Action=AttachVolume", "VolumeId=vol-1", "InstanceId=i-2", "Device=/dev/sdf"}));
        for (Case c : cases) {
            String amzDate = c.time().toString().replace("-", "").replace(":", "");
            String[] pairs = java.util.Arrays.copyOfRange(c.pairs(), 1, c.pairs().length);
            String action = c.pairs()[0].substring("Action=".length());
            List<String> args = new ArrayList<>(List.of(pairs));
            args.add(0, action);
            for (List<String> shell : Shells.POSIX_SHELLS) {
                ShellSigned s = shellSign(shell, "ec2", c.region(), "secret/Key+with=chars0123456789abcdefghij",
                        c.token(), c.host(), amzDate, "POST", "", args.toArray(String[]::new));
                SigV4Signer.Signed sdk = SigV4Signer.signFormPost(c.endpoint(), c.region(), "ec2", "AKIDEXAMPLE",
                        "secret/Key+with=chars0123456789abcdefghij", c.token(), c.time(), s.body());
                assertEquals(sdk.canonicalRequest(), s.canonicalRequest(), shell + " " + action);
                assertEquals(sdk.signature(), s.signature(), shell + " " + action);
                assertTrue(sdk.authorization().contains("Credential=AKIDEXAMPLE/" + amzDate.substring(0, 8) + "/"
                        + c.region() + "/ec2/aws4_request"), sdk.authorization());
            }
        }
    }

    /**
     * The script's HMAC builds its padded keys in the shell; keys whose bytes XOR the pads to NUL
     * (0x36, 0x5c), the edges of a byte and of the 64-byte block must come out as Java's.
     */
    @Test
    void hmacMatchesJavaOnKeysThatPadToNulAndOnFullBlocks() throws Exception {
        Path hmac = Files.writeString(dir.resolve("hmac.sh"),
                "EC2SPOTTER_LIBRARY=yes . \"$1\"\nprintf '%s' \"$3\" | hmac \"$2\"\n");
        List<byte[]> keys = List.of(new byte[0], filled(32, 0x36), filled(32, 0x5c), filled(64, 0xff),
                range(0, 64), range(192, 256), "AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".getBytes(StandardCharsets.UTF_8));
        for (byte[] key : keys) {
            String hexKey = HexFormat.of().formatHex(key);
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            // Java refuses an empty key; HMAC pads keys with zeros to the block, so 64 zeros is the same key.
            mac.init(new javax.crypto.spec.SecretKeySpec(key.length == 0 ? new byte[64] : key, "HmacSHA256"));
            String expected = HexFormat.of().formatHex(mac.doFinal("20150830 data \u00e9".getBytes(StandardCharsets.UTF_8)));
            for (List<String> shell : Shells.POSIX_SHELLS) {
                Shells.Result r = Shells.run(Shells.with(shell, hmac.toString(), script.toString(), hexKey,
                        "20150830 data \u00e9"), Map.of(), dir, Duration.ofSeconds(30));
                assertEquals(0, r.exit(), r.both());
                assertEquals(expected, r.stdout().trim(), shell + ", key " + hexKey);
            }
        }
    }

    /** The longest secret the script signs with: "AWS4" + 60 characters fill the 64-byte block. */
    @Test
    void signsWithASecretThatFillsTheBlock() {
        String secret = "0123456789abcdefghijklmnopqrstuvwxyz/+ABCDEFGHIJKLMNOPQRSTUV";
        assertEquals(60, secret.length());
        Instant time = Instant.parse("2026-03-01T10:20:30Z");
        for (List<String> shell : Shells.POSIX_SHELLS) {
            ShellSigned s = shellSign(shell, "ec2", "us-east-1", secret, "", "ec2.us-east-1.amazonaws.com",
                    "20260301T102030Z", "POST", "", "DescribeVolumes", "VolumeId.1=vol-1");
            SigV4Signer.Signed sdk = SigV4Signer.signFormPost("https://ec2.us-east-1.amazonaws.com", "us-east-1", "ec2",
                    "AKIDEXAMPLE", secret, "", time, s.body());
            assertEquals(sdk.signature(), s.signature(), shell.toString());
        }
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static byte[] range(int from, int to) {
        byte[] bytes = new byte[to - from];
        for (int i = from; i < to; i++) {
            bytes[i - from] = (byte) i;
        }
        return bytes;
    }

    @Test
    void percentEncodesLikeTheSdk() throws IOException {
        Path encode = Files.writeString(dir.resolve("encode.sh"),
                "EC2SPOTTER_LIBRARY=yes . \"$1\"\nshift\nfor v in \"$@\"; do uri_encode \"$v\"; printf '\\0'; done\n");
        List<String> values = List.of("plain-Value_1.2~3", "space and/slash", "*+=&%?#[]@!$'()", "é☃\u00ff\u4e2d",
                "tab\tnew\nline", "\"quote\" `tick` \\back");
        for (List<String> shell : Shells.POSIX_SHELLS) {
            List<String> command = Shells.with(shell, encode.toString(), script.toString());
            command.addAll(values);
            Shells.Result r = Shells.run(command, Map.of(), dir, Duration.ofSeconds(30));
            assertEquals(0, r.exit(), r.both());
            String[] encoded = r.stdout().split("\0", -1);
            for (int i = 0; i < values.size(); i++) {
                assertEquals(SdkHttpUtils.urlEncode(values.get(i)), encoded[i], shell + ": " + values.get(i));
            }
        }
    }

    private static String sha256Hex(String text) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
