package io.github.ec2spotter.model;

/**
 * A command could not do what was asked, for a reason outside the user's input files: AWS
 * refused, a resource is missing or busy, the network failed. The message is one complete,
 * user-facing line (or a few); the command prints it and exits with {@link ExitCodes#FAILURE}.
 */
public class Failure extends RuntimeException {
    public Failure(String message) {
        super(message);
    }

    public Failure(String message, Throwable cause) {
        super(message, cause);
    }
}
