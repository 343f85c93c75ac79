package io.github.ec2spotter.cli;

import io.github.ec2spotter.Failure;
import io.github.ec2spotter.aws.Ec2Gateway;
import io.github.ec2spotter.aws.VolumeInfo;
import io.github.ec2spotter.aws.VolumeSpec;
import io.github.ec2spotter.plan.VolumeMove;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out a {@link VolumeMove} for {@code launch --move-volume}: each step waits with the
 * SDK's waiters and says what it did; a failure says what exists and how to finish or clean up.
 */
final class VolumeMover {
    private final Console console;
    private final Ec2Gateway from;
    private final Ec2Gateway to;
    private final Duration timeout;

    /** {@code from} is a gateway in the volume's region, {@code to} one in the launch region (the same when equal). */
    VolumeMover(Console console, Ec2Gateway from, Ec2Gateway to, Duration timeout) {
        this.console = console;
        this.from = from;
        this.to = to;
        this.timeout = timeout;
    }

    VolumeInfo move(VolumeMove move) {
        console.info("Moving volume " + move.volumeId() + " from " + move.fromZone() + " to " + move.toZone()
                + (move.crossRegion() ? " (across regions)" : "") + "; each wait is bounded by " + timeout.toSeconds() + " s");
        VolumeSpec spec = from.volumeSpec(move.volumeId());
        Map<String, String> tags = Map.of(VolumeMove.MOVED_FROM_TAG, move.volumeId());
        Optional<String> snapshot = Optional.empty();
        Optional<String> copy = Optional.empty();
        Optional<String> created = Optional.empty();
        boolean oldRenamed = false;
        try {
            snapshot = Optional.of(from.snapshotVolume(move.volumeId(), move.description(), tags));
            step("snapshot " + snapshot.get() + " of " + move.volumeId(), snapshot.get(), from, true);
            String source = snapshot.get();
            VolumeSpec target = spec;
            if (move.crossRegion()) {
                copy = Optional.of(to.copySnapshotFrom(move.fromRegion(), source, move.description(), tags));
                step("copy " + copy.get() + " of snapshot " + source + " in " + move.toRegion(), copy.get(), to, true);
                source = copy.get();
                // A KMS key belongs to one region; the copy is encrypted with the destination's default key.
                target = new VolumeSpec(spec.type(), spec.sizeGib(), spec.iops(), spec.throughput(), spec.encrypted(),
                        Optional.empty());
            }
            created = Optional.of(to.createVolumeFromSnapshot(source, move.toZone(), target, tags));
            step("volume " + created.get() + " (" + target.type() + ", " + target.sizeGib() + " GiB"
                    + target.iops().map(i -> ", " + i + " IOPS").orElse("")
                    + target.throughput().map(t -> ", " + t + " MiB/s").orElse("")
                    + (target.encrypted() ? ", encrypted" : "") + ") in " + move.toZone(), created.get(), to, false);
            from.tag(move.volumeId(), "Name", move.oldVolumeName(created.get()));
            oldRenamed = true;
            to.tag(created.get(), "Name", move.name());
        } catch (Failure e) {
            throw new Failure(move.halfway(e.getMessage(), snapshot, copy, created, oldRenamed), e);
        }
        console.info("Volume '" + move.name() + "' is now " + created.get() + " in " + move.toZone() + "; the old volume "
                + move.volumeId() + " is renamed " + move.oldVolumeName(created.get())
                + snapshot.map(s -> ", snapshot " + s).orElse("") + copy.map(c -> " and copy " + c).orElse("")
                + " kept (delete them when the new volume has proved itself)");
        return new VolumeInfo(created.get(), move.toZone(), "available", spec.type(), spec.sizeGib(), List.of());
    }

    private void step(String what, String id, Ec2Gateway ec2, boolean snapshot) {
        Instant start = Instant.now();
        console.info("Waiting for " + what + " ...");
        if (snapshot) {
            ec2.awaitSnapshotCompleted(id, timeout);
        } else {
            ec2.awaitVolumeAvailable(id, timeout);
        }
        console.info("  done in " + Duration.between(start, Instant.now()).toSeconds() + " s");
    }
}
