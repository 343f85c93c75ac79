package io.github.ec2spotter.model;

/** The tags ec2spotter writes on EC2 objects, and reads back to find them. */
public final class Tags {
    /** EC2's own name tag: the persistent volume is found by it, and the spot requests carry it too. */
    public static final String NAME = "Name";
    /**
     * On the spot request: the id of the volume it serves; later commands find their requests by it.
     * On a snapshot {@code ec2spotter snapshot} took: the volume it is of; {@code --keep} deletes only these.
     */
    public static final String VOLUME = "ec2spotter:volume";
    /** On the snapshots and the new volume of a move: the volume they came from. */
    public static final String MOVED_FROM = "ec2spotter:moved-from";
    /** On the instance, written by the boot script: {@code failed} when it gave up before the point of no return. */
    public static final String BOOT = "ec2spotter:boot";
    /** On the instance, next to {@link #BOOT}: why the boot script gave up, in the characters a tag allows. */
    public static final String BOOT_REASON = "ec2spotter:boot-reason";

    private Tags() {
    }
}
