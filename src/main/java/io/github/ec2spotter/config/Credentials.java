package io.github.ec2spotter.config;

import io.github.ec2spotter.model.AccessKeys;
import java.util.Optional;

/**
 * Where the AWS credentials come from: keys read from the file named on the command line, or
 * the SDK's default chain (environment, profiles, SSO, instance role) with an optional profile.
 *
 * <p>{@link #toString()} never shows a secret, so a credentials value that ends up in a log
 * line or an exception message leaks nothing.
 */
public sealed interface Credentials {

    /** Keys read from a file; {@code source} names the file, and the profile when the file has sections. */
    record FromFile(String source, AccessKeys keys) implements Credentials {
        @Override
        public String toString() {
            return "credentials from " + source + " (access key " + keys.accessKeyId() + ")";
        }
    }

    /**
     * The SDK's default provider chain, restricted to a named profile when one is given;
     * {@code source} says where the chain will find the keys, as far as the files and environment tell.
     */
    record DefaultChain(Optional<String> profile, String source) implements Credentials {
        @Override
        public String toString() {
            return "credentials from the default AWS chain: " + source;
        }
    }
}
