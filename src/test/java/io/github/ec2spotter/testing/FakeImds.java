package io.github.ec2spotter.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
    /** The state's fields as JSON members, by name: what {@link #serve} set, then any changes. */
    private final Map<String, String> fields = new LinkedHashMap<>();

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
     * Sets what the service answers. {@code role} null: no instance profile. Clears the request log.
     */
    public void serve(String instanceId, String zone, String region, String role, String accessKeyId,
                      String secretAccessKey, String token) throws IOException {
        fields.clear();
        fields.put("instance_id", quote(instanceId));
        fields.put("availability_zone", quote(zone));
        fields.put("region", quote(region));
        fields.put("role", quote(role));
        fields.put("credentials", "{\"AccessKeyId\": " + quote(accessKeyId) + ", \"SecretAccessKey\": "
                + quote(secretAccessKey) + ", \"Token\": " + quote(token) + "}");
        fields.put("user_data_file", "null");
        fields.put("require_token", "true");
        writeState();
        Files.deleteIfExists(log());
    }

    /** The role and its credentials answer 404 until {@code when}, as right after a launch. */
    public void credentialsFrom(Instant when) throws IOException {
        fields.put("credentials_after", Long.toString(when.getEpochSecond()));
        writeState();
    }

    /** What meta-data/services/domain answers (amazonaws.com unless set). */
    public void domain(String domain) throws IOException {
        fields.put("domain", quote(domain));
        writeState();
    }

    private void writeState() throws IOException {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> json.append(json.length() > 1 ? ", " : "").append(quote(name)).append(": ").append(value));
        Files.writeString(state, json.append('}').toString());
    }

    /** One line per request since the last {@link #serve}: "METHOD PATH STATUS token=valid|missing|invalid|-". */
    public List<String> requests() throws IOException {
        return Files.exists(log()) ? Files.readAllLines(log()) : List.of();
    }

    private Path log() {
        return state.resolveSibling(state.getFileName() + ".log");
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
