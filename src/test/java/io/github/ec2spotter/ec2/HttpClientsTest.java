package io.github.ec2spotter.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.urlconnection.ProxyConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The client of an {@code http://} endpoint, which sets up no TLS, sends what the SDK's own client
 * sends with the same proxy settings: held side by side against one loopback server that records
 * each request as it arrives.
 */
class HttpClientsTest {
    private ServerSocket server;
    private final BlockingQueue<List<String>> received = new LinkedBlockingQueue<>();
    private Thread serving;

    @BeforeEach
    void serve() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        serving = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    List<String> lines = new ArrayList<>();
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        lines.add(line);
                    }
                    received.add(lines);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "recording-server");
        serving.setDaemon(true);
        serving.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        serving.join(5000);
    }

    @Test
    void throughAProxyWithAUserTheRequestIsTheSdksOwn() throws Exception {
        ProxyConfiguration proxy = settings().endpoint(URI.create("http://127.0.0.1:" + server.getLocalPort()))
                .username("someone").password("s3cret").build();
        URI target = URI.create("http://ec2.emulator.invalid:4566/");

        List<String> ours = send(UrlConnectionHttpClient.create(new HttpClients.PlainConnections(proxy)), target);
        List<String> sdks = send(UrlConnectionHttpClient.builder().proxyConfiguration(proxy).build(), target);

        assertEquals(sdks, ours);
        assertEquals("GET http://ec2.emulator.invalid:4566/ HTTP/1.1", ours.get(0));
        assertTrue(ours.contains("proxy-authorization: Basic c29tZW9uZTpzM2NyZXQ="), ours::toString);
    }

    @Test
    void aNonProxyHostIsReachedDirectly() throws Exception {
        ProxyConfiguration proxy = settings().endpoint(URI.create("http://proxy.invalid:3128"))
                .nonProxyHosts(Set.of("127\\.0\\.0\\.1")).build();
        URI target = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");

        List<String> ours = send(UrlConnectionHttpClient.create(new HttpClients.PlainConnections(proxy)), target);
        List<String> sdks = send(UrlConnectionHttpClient.builder().proxyConfiguration(proxy).build(), target);

        assertEquals(sdks, ours);
        assertEquals("GET / HTTP/1.1", ours.get(0));
    }

    @Test
    void theTimeoutsAreTheOnesEveryClientHas() {
        HttpURLConnection c = new HttpClients.PlainConnections(settings().build())
                .createConnection(URI.create("http://127.0.0.1:4566/"));
        assertEquals(Ec2Clients.CONNECT_TIMEOUT.toMillis(), c.getConnectTimeout());
        assertEquals(Ec2Clients.READ_TIMEOUT.toMillis(), c.getReadTimeout());
    }

    /** Proxy settings from the test alone, not from the machine's properties and environment. */
    private static ProxyConfiguration.Builder settings() {
        return ProxyConfiguration.builder().useSystemPropertyValues(false).useEnvironmentVariablesValues(false);
    }

    private List<String> send(SdkHttpClient client, URI target) throws Exception {
        try (client) {
            SdkHttpFullRequest request = SdkHttpFullRequest.builder().uri(target).method(SdkHttpMethod.GET).build();
            HttpExecuteResponse response = client.prepareRequest(HttpExecuteRequest.builder().request(request).build()).call();
            assertEquals(200, response.httpResponse().statusCode());
            List<String> lines = received.poll(10, TimeUnit.SECONDS);
            assertTrue(lines != null, "the server received nothing");
            return lines;
        }
    }
}
