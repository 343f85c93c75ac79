package io.github.ec2spotter.model;

import java.util.Set;

/** The EC2 state sets ec2spotter decides by, each defined once. */
public final class States {
    /**
     * An instance in these states holds on to its volume and can run again; one shutting down or
     * terminated lets go of it by itself.
     */
    public static final Set<String> INSTANCE_HOLDING = Set.of("pending", "running", "stopping", "stopped");
    /** A spot request in these states holds or will hold an instance; a disabled one restarts its stopped instance. */
    public static final Set<String> REQUEST_LIVE = Set.of("open", "active", "disabled");

    private States() {
    }
}
