package io.github.ec2spotter.boot;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The AWS SDK's own Signature Version 4 signer, as the reference the shell signer is checked
 * against. The SDK logs the canonical request it built at debug level; that is how the test sees it.
 */
final class SigV4Signer {
    static final String FORM_TYPE = "application/x-www-form-urlencoded; charset=utf-8";
    private static final String CANONICAL_LOGGER =
            "software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner";
    private static final String CANONICAL_PREFIX = "AWS4 Canonical Request: ";

    record Signed(String canonicalRequest, String authorization, Map<String, java.util.List<String>> headers) {
        String signature() {
            return authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());
        }
    }

    private SigV4Signer() {
    }

    /** Signs a form POST to {@code endpoint} the way the EC2 client does, at a fixed time. */
    static Signed signFormPost(String endpoint, String region, String service, String accessKeyId,
                               String secretAccessKey, String sessionToken, Instant time, String body) {
        URI uri = URI.create(endpoint);
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(uri.resolve("/"))
                .putHeader("Content-Type", FORM_TYPE)
                .build();
        AwsCredentialsIdentity identity = sessionToken == null || sessionToken.isEmpty()
                ? AwsCredentialsIdentity.create(accessKeyId, secretAccessKey)
                : AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, sessionToken);
        Logger logger = (Logger) LoggerFactory.getLogger(CANONICAL_LOGGER);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level level = logger.getLevel();
        boolean additive = logger.isAdditive();
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
        logger.addAppender(appender);
        try {
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                    .identity(identity)
                    .request(request)
                    .payload(ContentStreamProvider.fromUtf8String(body))
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(time, ZoneOffset.UTC)));
            String canonical = appender.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith(CANONICAL_PREFIX))
                    .map(m -> m.substring(CANONICAL_PREFIX.length()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("the SDK logged no canonical request"));
            return new Signed(canonical, signed.request().firstMatchingHeader("Authorization").orElseThrow(),
                    signed.request().headers());
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
            logger.setAdditive(additive);
        }
    }
}
