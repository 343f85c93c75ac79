package io.github.ec2spotter.testing;

import io.github.ec2spotter.text.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/lib/fake-imds.py} on a free loopback port: the instance metadata service with
 * the IMDSv2 token flow enforced. Its state file is re-read on every request; its request log
 * says, per request, whether a valid token came with it.
 */
public final class FakeImds implements AutoCloseable {
    public static final Path SCRIPT = Path.of("scripts/lib/fake-imds.py");

    private final Process process;
    private final int port;
    private final Path state;
    private final Map<String, Object> values = new LinkedHashMap<>();

    private FakeImds(Process process, int port, Path state) {
        this.process = process;
        this.port = port;
        this.state = state;
    }

    public static FakeImds start(Path workDir) throws IOException {
        if (!Files.isRegularFile(SCRIPT)) {
            throw new IllegalStateException(SCRIPT.toAbsolutePath() + " is missing");
        }
        Path state = workDir.resolve("imds-state.json");
        Files.writeString(state, "{}");
        Process process = new ProcessBuilder("python3", SCRIPT.toString(), "--port", "0", "--state", state.toString())
                .redirectError(workDir.resolve("imds.stderr").toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (first == null || !first.startsWith("PORT=")) {
            process.destroyForcibly();
            throw new IllegalStateException("fake IMDS did not start: " + first + " "
                    + Files.readString(workDir.resolve("imds.stderr")));
        }
        return new FakeImds(process, Integer.parseInt(first.substring("PORT=".length())), state);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Sets what the service answers, with no spot notice. {@code role} null: no instance
     * profile. Clears the request log.
     */
    public void serve(String instanceId, String zone, String region, String role, String accessKeyId,
                      String secretAccessKey, String token) throws IOException {
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("AccessKeyId", accessKeyId);
        credentials.put("SecretAccessKey", secretAccessKey);
        credentials.put("Token", token);
        values.clear();
        values.put("instance_id", instanceId);
        values.put("availability_zone", zone);
        values.put("region", region);
        values.put("role", role);
        values.put("credentials", credentials);
        values.put("user_data_file", null);
        values.put("require_token", true);
        write();
        Files.deleteIfExists(log());
    }

    /** The role and its credentials answer 404 until {@code when}, as right after a launch. */
    public void credentialsFrom(Instant when) throws IOException {
        values.put("credentials_after", when.getEpochSecond());
        write();
    }

    /** What meta-data/services/domain answers (amazonaws.com unless set). */
    public void domain(String domain) throws IOException {
        values.put("domain", domain);
        write();
    }

    /** The spot interruption notice at meta-data/spot/instance-action (EC2's JSON), or none for null. */
    public void instanceAction(String action, Instant time) throws IOException {
        values.put("instance_action", action == null ? null : notice("action", action, "time", ec2Time(time)));
        write();
    }

    /** A notice as EC2 would never send it: the given fields, verbatim. */
    public void instanceAction(Map<String, String> fields) throws IOException {
        values.put("instance_action", fields);
        write();
    }

    /** The rebalance recommendation at meta-data/events/recommendations/rebalance, or none for null. */
    public void rebalance(Instant noticeTime) throws IOException {
        values.put("rebalance", noticeTime == null ? null : notice("noticeTime", ec2Time(noticeTime)));
        write();
    }

    /** Every token issued so far answers 401 from now on, as if the service had forgotten them. */
    public void revokeTokens() throws IOException {
        values.put("revoke_tokens_before", java.math.BigDecimal.valueOf(System.currentTimeMillis(), 3));
        write();
    }

    /** Connections are accepted and never answered while this is on. */
    public void unreachable(boolean on) throws IOException {
        values.put("unreachable", on);
        write();
    }

    /** As EC2 writes times in notices: 2024-05-01T10:02:00Z. */
    public static String ec2Time(Instant time) {
        return time.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static Map<String, String> notice(String... keysAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            fields.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return fields;
    }

    /** The service re-reads the file on every request: it must never see half of one. */
    private void write() throws IOException {
        Path next = state.resolveSibling(state.getFileName() + ".next");
        Files.writeString(next, Json.write(values));
        Files.move(next, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** One line per request since the last {@link #serve}: "METHOD PATH STATUS token=valid|missing|invalid|-". */
    public List<String> requests() throws IOException {
        return Files.exists(log()) ? Files.readAllLines(log()) : List.of();
    }

    private Path log() {
        return state.resolveSibling(state.getFileName() + ".log");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
