package io.github.ec2spotter.ec2;

import io.github.ec2spotter.text.Printable;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * {@code -v}'s request log: one line per attempt of every EC2 (or IAM) call, named by its service
 * and action ({@code EC2 DescribeVolumes}), with the HTTP status and request id, and one line for a call that
 * ends in an error. It replaces the SDK's own request log, whose lines name no action and whose
 * retry and dry-run lines carry whole stack traces. Nothing of a request's headers or body is
 * logged: they hold the signature and the session token.
 */
final class RequestLog implements ExecutionInterceptor {
    private static final Logger log = LoggerFactory.getLogger(RequestLog.class);
    private static final ExecutionAttribute<Integer> ATTEMPT = new ExecutionAttribute<>("ec2spotter.attempt");
    /** Where AWS and moto put the request id of an answer. */
    private static final List<String> REQUEST_ID_HEADERS = List.of("x-amzn-RequestId", "x-amz-request-id");

    private final String service;
    private final AwsEndpoint endpoint;

    RequestLog(AwsEndpoint endpoint) {
        this("EC2", endpoint);
    }

    RequestLog(String service, AwsEndpoint endpoint) {
        this.service = service;
        this.endpoint = endpoint;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        int attempt = Optional.ofNullable(attributes.getAttribute(ATTEMPT)).orElse(0) + 1;
        attributes.putAttribute(ATTEMPT, attempt);
        if (log.isDebugEnabled()) {
            log.debug("{} {}: {}", service, action(attributes), attempt == 1 ? "sending"
                    : "retrying, attempt " + attempt + " (the SDK retries throttling, 5xx answers and I/O errors)");
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        if (log.isDebugEnabled()) {
            String requestId = REQUEST_ID_HEADERS.stream().flatMap(h -> context.httpResponse().firstMatchingHeader(h)
                    .stream()).findFirst().map(id -> ", request id " + Printable.of(id)).orElse("");
            log.debug("{} {}: HTTP {}{}", service, action(attributes), context.httpResponse().statusCode(), requestId);
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (!log.isDebugEnabled()) {
            return;
        }
        String action = action(attributes);
        Throwable e = context.exception();
        if (e instanceof AwsServiceException refusal && refusal.awsErrorDetails() != null
                && "DryRunOperation".equals(refusal.awsErrorDetails().errorCode())) {
            log.debug("{} {}: DryRunOperation, the dry run's answer that the request would succeed", service, action);
        } else if (e instanceof SdkException sdk) {
            log.debug("{} {}", service, AwsErrors.describe(service, action, action, sdk, endpoint));
        } else {
            log.debug("{} {} failed: {}", service, action, Printable.of(String.valueOf(e)));
        }
    }

    private static String action(ExecutionAttributes attributes) {
        return Optional.ofNullable(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)).orElse("(call)");
    }
}
