package io.github.ec2spotter.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A real {@code moto_server} on a free loopback port, one per test class. It fails the test,
 * never skips it, when moto cannot be started: a suite that silently skipped would hide that
 * nothing was tested.
 */
public final class Moto implements AutoCloseable {
    public static final String ACCESS_KEY_ID = "AKIDMOTOTESTING00001";
    public static final String SECRET_ACCESS_KEY = "moto-secret-key-never-printed-0001";

    private final Process process;
    private final int port;
    private final Path recording;

    private Moto(Process process, int port, Path recording) {
        this.process = process;
        this.port = port;
        this.recording = recording;
    }

    public static Moto start(Path workDir) throws IOException, InterruptedException {
        int port = freePort();
        Path log = workDir.resolve("moto-" + port + ".log");
        Path recording = workDir.resolve("moto-" + port + ".recording.jsonl");
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port));
            // The recorder is how tests see exactly what EC2 received, field by field.
            builder.environment().put("MOTO_ENABLE_RECORDING", "True");
            builder.environment().put("MOTO_RECORDER_FILEPATH", recording.toString());
            process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto_server (pip install \"moto[server]\"): " + e.getMessage(), e);
        }
        Moto moto = new Moto(process, port, recording);
        moto.awaitReady(log);
        return moto;
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** An SDK client for seeding and inspecting moto's state. */
    public Ec2Client client(String region) {
        return Ec2Client.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Clears moto's state and its recording between tests. */
    public void reset() throws IOException {
        post("/moto-api/reset");
        clearRecording();
    }

    /** Forgets the calls recorded so far (seeding, say), keeping moto's state. */
    public void clearRecording() throws IOException {
        post("/moto-api/recorder/reset-recording");
    }

    /** One EC2 Query API call as moto received it. */
    public record Call(String action, Map<String, String> params, Map<String, String> headers, String body) {
        public String param(String name) {
            return params.get(name);
        }

        /** The user-data of a RequestSpotInstances call as the instance would get it: base64 and gzip undone. */
        public String userData() throws IOException {
            byte[] bytes = Base64.getDecoder().decode(param("LaunchSpecification.UserData"));
            if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
                bytes = new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Every EC2 call recorded since the last reset, in order. */
    public List<Call> calls() throws IOException {
        if (!Files.exists(recording)) {
            return List.of();
        }
        List<Call> calls = new ArrayList<>();
        for (String line : Files.readAllLines(recording)) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, JsonNode> entry = JsonNodeParser.create().parse(line).asObject();
            String body = entry.get("body").isNull() ? null : entry.get("body").asString();
            if (entry.get("body_encoded").asBoolean()) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            Map<String, String> params = new LinkedHashMap<>();
            if (body != null && !body.isEmpty()) {
                for (String pair : body.split("&")) {
                    int eq = pair.indexOf('=');
                    String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    params.put(k, v);
                }
            }
            Map<String, String> headers = new LinkedHashMap<>();
            entry.get("headers").asObject().forEach((k, v) -> headers.put(k, v.asString()));
            calls.add(new Call(params.getOrDefault("Action", ""), params, headers, body));
        }
        return calls;
    }

    /** The recorded calls of one action. */
    public List<Call> calls(String action) throws IOException {
        return calls().stream().filter(c -> c.action().equals(action)).toList();
    }

    public void post(String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + path).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.getOutputStream().close();
        int code = c.getResponseCode();
        c.disconnect();
        if (code != 200) {
            throw new IOException("moto " + path + " answered HTTP " + code);
        }
    }

    public String get(String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + path).toURL().openConnection();
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private void awaitReady(Path log) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited: " + Files.readString(log));
            }
            try {
                get("/moto-api/data.json");
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        close();
        throw new IllegalStateException("moto_server did not answer on port " + port + " within 30 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
