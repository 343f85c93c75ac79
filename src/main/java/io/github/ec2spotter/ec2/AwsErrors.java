package io.github.ec2spotter.ec2;

import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.text.Printable;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.stream.XMLStreamException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK exceptions into one line that says what failed and what the user can check, and
 * composes the sentences that say what exists after a failure EC2 may have acted on.
 */
final class AwsErrors {
    /** What to check for the error codes users meet most. */
    private static final Map<String, String> HINTS = Map.ofEntries(
            Map.entry("UnauthorizedOperation", "the credentials lack the IAM permission ec2:%s (see the README's IAM policy)"),
            Map.entry("AuthFailure", "AWS rejected the credentials: check the access key, the secret and this machine's clock"),
            Map.entry("InvalidClientTokenId", "the access key id is not known to AWS: check the credentials"),
            Map.entry("SignatureDoesNotMatch", "the secret key does not match the access key: check the credentials"),
            Map.entry("ExpiredToken", "the session token has expired: refresh the credentials"),
            Map.entry("RequestExpired", "the request expired: check this machine's clock"),
            Map.entry("OptInRequired", "the account is not subscribed to EC2 in this region"),
            Map.entry("InvalidAMIID.NotFound", "check ec2spotter_preboot_image_id: AMIs are per region"),
            Map.entry("InvalidAMIID.Malformed", "check ec2spotter_preboot_image_id"),
            Map.entry("InvalidSubnetID.NotFound", "check ec2spotter_subnet: it must exist in the launch zone's region"),
            Map.entry("InvalidGroup.NotFound", "check ec2spotter_security_group: it must be in the subnet's VPC"),
            Map.entry("InvalidKeyPair.NotFound", "check ec2spotter_key_name: key pairs are per region"),
            Map.entry("InvalidParameterValue", "check the conf values this message names"),
            Map.entry("InvalidParameterCombination", "check the conf values this message names"),
            Map.entry("MaxSpotInstanceCountExceeded", "the account's spot instance quota is used up (Service Quotas, EC2 spot vCPUs)"),
            Map.entry("InsufficientInstanceCapacity", "try another zone or instance type"),
            Map.entry("Unsupported", "the instance type or option is not offered in this zone; try another zone"),
            Map.entry("RequestLimitExceeded", "EC2 kept throttling the calls after retries; wait a minute and try again"),
            Map.entry("Throttling", "AWS kept throttling the calls after retries; wait a minute and try again"));

    /** What to check for IAM's error codes ({@code setup}); the codes above that are not EC2's apply too. */
    private static final Map<String, String> IAM_HINTS = Map.ofEntries(
            Map.entry("AccessDenied", "the credentials lack the IAM permission iam:%s; SECURITY.md lists what setup needs"),
            Map.entry("LimitExceeded", "an IAM quota is used up (roles or instance profiles per account, or one role"
                    + " per instance profile)"),
            Map.entry("EntityAlreadyExists", "something else made it meanwhile: run setup again"),
            Map.entry("ValidationError", "check ec2spotter_iam_instance_profile and ec2spotter_volume_name"),
            Map.entry("MalformedPolicyDocument", "IAM refused the policy document setup built: please report it"),
            Map.entry("ServiceFailure", "IAM failed; try again"));

    private AwsErrors() {
    }

    static Failure failure(String action, SdkException e, AwsEndpoint endpoint) {
        return new Failure(describe(action, e, endpoint), e);
    }

    /** An IAM call's failure: {@code object} names what it was about ({@code role ec2spotter-spotter}). */
    static Failure iamFailure(String action, String object, SdkException e, AwsEndpoint endpoint) {
        return new Failure(describe("IAM", action, action + " of " + object, e, endpoint), e);
    }

    static String describe(String action, SdkException e, AwsEndpoint endpoint) {
        return describe("EC2", action, action, e, endpoint);
    }

    /**
     * One line for a failed call of {@code service}: {@code what} (the action, perhaps with its
     * object) failed, why, and what to check.
     */
    static String describe(String service, String action, String what, SdkException e, AwsEndpoint endpoint) {
        if (e instanceof AwsServiceException serviceError && serviceError.awsErrorDetails() != null) {
            String code = serviceError.awsErrorDetails().errorCode();
            String message = serviceError.awsErrorDetails().errorMessage();
            StringBuilder line = new StringBuilder(what).append(" failed: ")
                    .append(code == null ? "HTTP " + serviceError.statusCode() : Printable.of(code));
            if (message != null && !message.isBlank()) {
                line.append(": ").append(Printable.of(message.strip()));
            }
            String hint = code == null ? null
                    : service.equals("IAM") && IAM_HINTS.containsKey(code) ? IAM_HINTS.get(code) : HINTS.get(code);
            if (hint != null) {
                line.append(" (").append(String.format(hint, action)).append(')');
            }
            return line.toString();
        }
        if (e instanceof ApiCallTimeoutException) {
            return what + " failed: " + service + " at " + endpoint + " did not answer within "
                    + Ec2Clients.CALL_TIMEOUT.toSeconds() + " s";
        }
        Throwable cause = rootCause(e);
        if (cause instanceof ConnectException) {
            return what + " failed: cannot connect to " + service + " at " + endpoint + " (" + cause.getMessage() + ")";
        }
        if (cause instanceof UnknownHostException) {
            return what + " failed: cannot resolve the host of " + service + " endpoint " + endpoint;
        }
        if (cause instanceof SocketTimeoutException) {
            return what + " failed: " + service + " at " + endpoint + " did not answer in time (" + cause.getMessage() + ")";
        }
        if (isUnreadableAnswer(e)) {
            return what + " failed: " + service + " at " + endpoint + " sent an answer that is not valid " + service
                    + " XML; check the endpoint (a proxy in between?)";
        }
        if (e instanceof SdkClientException && e.getMessage() != null && e.getMessage().contains("credentials")) {
            return what + " failed: no AWS credentials found. Pass a credentials file as the second argument, "
                    + "or set AWS_PROFILE / --profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
        }
        return what + " failed: " + Printable.of(firstLine(e.getMessage())) + " (endpoint " + endpoint + ")";
    }

    /**
     * A waiter's failure: the SDK says it ran out of time or saw a failure state only in its
     * message text, so that text is matched here, in one place.
     */
    static Failure waiterFailure(String what, Duration timeout, SdkClientException e, AwsEndpoint endpoint) {
        String reason = e.getMessage() == null ? "" : e.getMessage();
        if (reason.contains("max wait time") || reason.contains("max attempts")) {
            return new Failure("gave up waiting for " + what + " after " + timeout.toSeconds() + " s", e);
        }
        if (reason.contains("failure state")) {
            return new Failure("stopped waiting for " + what + ": EC2 reports it failed", e);
        }
        return failure("waiting for " + what, e, endpoint);
    }

    /** A spot request found after an ambiguous failure of RequestSpotInstances. */
    record Found(String id, String state, Instant created) {
    }

    /**
     * What exists after an ambiguous failure of RequestSpotInstances, as one sentence with the
     * commands to act on it; {@code found} is empty when looking failed too.
     */
    static String leftBehind(String region, Map<String, String> tags, java.util.Optional<List<Found>> found) {
        String tagged = tags.entrySet().stream().map(t -> t.getKey() + "=" + t.getValue())
                .collect(Collectors.joining(", "));
        if (found.isEmpty()) {
            String describe = "aws ec2 describe-spot-instance-requests --region " + region + " --filters "
                    + tags.entrySet().stream()
                            .map(t -> "Name=tag:" + t.getKey() + ",Values=" + t.getValue())
                            .collect(Collectors.joining(" "));
            return "EC2 may have created the spot request anyway, and checking failed too: look for requests tagged "
                    + tagged + " with: " + describe;
        }
        List<Found> requests = found.get();
        if (requests.isEmpty()) {
            return "EC2 holds no open or active spot request tagged " + tagged + ": nothing was created";
        }
        String ids = requests.stream().map(Found::id).collect(Collectors.joining(" "));
        return "EC2 holds " + requests.size() + " open or active spot request(s) tagged " + tagged + " anyway: "
                + requests.stream().map(r -> r.id() + " (" + r.state() + ", created " + r.created() + ")")
                        .collect(Collectors.joining(", "))
                + "; keep one, or cancel with: aws ec2 cancel-spot-instance-requests --region " + region
                + " --spot-instance-request-ids " + ids;
    }

    /** The SDK could not parse the body of an answer: not XML, or XML of another shape. */
    private static boolean isUnreadableAnswer(SdkException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof XMLStreamException || t.getMessage() != null
                    && t.getMessage().startsWith("Unable to unmarshall response")) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
