package io.github.ec2spotter.cli;

/** The process exit codes, in one place. */
public final class ExitCodes {
    /** Done as asked. */
    public static final int OK = 0;
    /** AWS or runtime failure: the request was valid but could not be carried out. */
    public static final int FAILURE = 1;
    /** Bad usage or bad input (options, conf file, credentials file); nothing was sent to AWS. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
