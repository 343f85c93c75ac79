package io.github.ec2spotter.ec2;

import io.github.ec2spotter.config.Credentials;
import io.github.ec2spotter.model.AccessKeys;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Builds the SDK's EC2 client: explicit region, credentials, endpoint and bounded timeouts. */
public final class Ec2Clients {
    private static final Logger log = LoggerFactory.getLogger(Ec2Clients.class);

    /** Connecting and reading are bounded so that an unreachable or hung endpoint fails in seconds. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    /** The whole call, retries included; the figure the README promises for a dead endpoint. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(40);
    /** The class {@code Ec2Client.builder().build()} instantiates. */
    private static final String SDK_CLIENT_CLASS = "software.amazon.awssdk.services.ec2.DefaultEc2Client";

    private Ec2Clients() {
    }

    /** A gateway to EC2 in one region. The client is built once, with explicit region and credentials. */
    public static Ec2 connect(Credentials credentials, String region, Map<String, String> env) {
        startLoadingClientClass();
        AwsEndpoint endpoint = AwsEndpoint.forRegion(region, env);
        AwsCredentialsProvider provider = provider(credentials);
        Ec2Client client = Ec2Client.builder()
                .region(Region.of(region))
                .endpointOverride(endpoint.uri())
                .credentialsProvider(provider)
                .httpClient(HttpClients.forEndpoint(endpoint))
                .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT).addExecutionInterceptor(new RequestLog(endpoint)))
                .build();
        log.debug("EC2 endpoint {} in {}, {}", endpoint, region, credentials);
        return new Ec2Gateway(client, region, endpoint, provider);
    }

    /** A connector for the use cases that reach into a second region. */
    public static Ec2.Connector connector(Credentials credentials, Map<String, String> env) {
        return region -> connect(credentials, region, env);
    }

    /**
     * The SDK's EC2 client class has an operation for every EC2 action; before its first use the JVM
     * verifies it, loading some 800 request classes to do so: 0.45 s of a bare {@code java -jar
     * launch} on a slow machine. Done on a second thread, it overlaps with building the client
     * (configuration, HTTP client, for https the trust store), which ends by instantiating that class. Best
     * effort: if the SDK names the class differently, the work happens on first use as before.
     */
    private static void startLoadingClientClass() {
        Thread loader = new Thread(() -> {
            try {
                Class.forName(SDK_CLIENT_CLASS, true, Ec2Clients.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                log.debug("cannot load {} ahead of use: {}", SDK_CLIENT_CLASS, e.toString());
            }
        }, "ec2-client-class");
        loader.setDaemon(true);
        loader.start();
    }

    /** The SDK's provider for {@code credentials}: the file's keys, or the default chain (with its profile). */
    static AwsCredentialsProvider provider(Credentials credentials) {
        if (credentials instanceof Credentials.FromFile f) {
            AccessKeys k = f.keys();
            AwsCredentials keys = k.sessionToken().isPresent()
                    ? AwsSessionCredentials.create(k.accessKeyId(), k.secretAccessKey(), k.sessionToken().get())
                    : AwsBasicCredentials.create(k.accessKeyId(), k.secretAccessKey());
            return StaticCredentialsProvider.create(keys);
        }
        Credentials.DefaultChain chain = (Credentials.DefaultChain) credentials;
        DefaultCredentialsProvider.Builder builder = DefaultCredentialsProvider.builder();
        chain.profile().ifPresent(builder::profileName);
        return builder.build();
    }
}
