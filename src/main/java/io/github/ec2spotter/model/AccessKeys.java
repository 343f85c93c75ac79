package io.github.ec2spotter.model;

import java.util.Optional;

/**
 * AWS access keys, as read from a credentials file or as the SDK resolved them for embedding in
 * user-data. {@link #toString()} shows the access key id only, so keys that reach a log line or an
 * exception message leak no secret.
 */
public record AccessKeys(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
    @Override
    public String toString() {
        return "keys " + accessKeyId;
    }
}
