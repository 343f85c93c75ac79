package io.github.ec2spotter.config;

/**
 * Bad input from the user: a conf or credentials file, or an option value. The message is
 * complete and user-facing (it names the file, the line and the key), so it is printed as it
 * is, without a stack trace, and the command exits with the usage code.
 */
public final class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
