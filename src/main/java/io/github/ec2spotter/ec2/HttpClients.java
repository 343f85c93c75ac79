package io.github.ec2spotter.ec2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.ProxyConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The HTTP client of the EC2 and IAM clients: the SDK's JDK-based one, with bounded timeouts.
 *
 * <p>The SDK's builder sets up TLS when the client is built (an {@code SSLContext} with the JDK's
 * trust store, the cipher suites, a random source), whether or not a request will ever use it:
 * 0.06 s or more of each run. An {@code http://} endpoint (an emulator on loopback, as in the tests
 * and the benchmark) never does, so its client opens its connections itself, as the SDK's would
 * for a plain URL: the SDK's proxy settings (system properties, then {@code HTTP_PROXY} and
 * {@code NO_PROXY}) and the same timeouts. Every {@code https://} endpoint, AWS's own among them,
 * gets the SDK's client unchanged, certificate checks and all.
 */
final class HttpClients {
    private HttpClients() {
    }

    static SdkHttpClient forEndpoint(AwsEndpoint endpoint) {
        if ("http".equals(endpoint.uri().getScheme())) {
            return UrlConnectionHttpClient.create(new PlainConnections(ProxyConfiguration.builder().build()));
        }
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Ec2Clients.CONNECT_TIMEOUT)
                .socketTimeout(Ec2Clients.READ_TIMEOUT)
                .build();
    }

    /**
     * Connections to {@code http://} URLs made as the SDK's client makes them: through the proxy
     * its settings name unless the host is one of their non-proxy hosts (matched as the SDK
     * matches them), with basic proxy authorization when they carry a user name and password.
     */
    record PlainConnections(ProxyConfiguration proxy) implements UrlConnectionFactory {
        @Override
        public HttpURLConnection createConnection(URI uri) {
            HttpURLConnection connection;
            boolean proxied = proxy.host() != null && proxy.nonProxyHosts().stream()
                    .noneMatch(uri.getHost().toLowerCase(Locale.getDefault())::matches);
            try {
                connection = (HttpURLConnection) (proxied
                        ? uri.toURL().openConnection(new Proxy(Proxy.Type.HTTP,
                                InetSocketAddress.createUnresolved(proxy.host(), proxy.port())))
                        : uri.toURL().openConnection());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (proxied && !isEmpty(proxy.username()) && !isEmpty(proxy.password())) {
                String token = proxy.username() + ":" + proxy.password();
                connection.addRequestProperty("proxy-authorization",
                        "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
            }
            connection.setConnectTimeout((int) Ec2Clients.CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) Ec2Clients.READ_TIMEOUT.toMillis());
            return connection;
        }

        private static boolean isEmpty(String s) {
            return s == null || s.isEmpty();
        }
    }
}
