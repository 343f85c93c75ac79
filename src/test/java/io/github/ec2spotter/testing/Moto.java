package io.github.ec2spotter.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
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

    private Moto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Moto start(Path workDir) throws IOException, InterruptedException {
        int port = freePort();
        Path log = workDir.resolve("moto-" + port + ".log");
        Process process;
        try {
            process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto_server (pip install \"moto[server]\"): " + e.getMessage(), e);
        }
        Moto moto = new Moto(process, port);
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

    /** Clears moto's state between tests. */
    public void reset() throws IOException {
        post("/moto-api/reset");
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
