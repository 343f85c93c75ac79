package io.github.ec2spotter.ops;


import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.model.Tags;
import io.github.ec2spotter.model.VolumeInfo;
import io.github.ec2spotter.model.VolumeSpec;
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
    private final Progress progress;
    private final Ec2 from;
    private final Ec2 to;
    private final Duration timeout;

    /** {@code from} is a gateway in the volume's region, {@code to} one in the launch region (the same when equal). */
    VolumeMover(Progress progress, Ec2 from, Ec2 to, Duration timeout) {
        this.progress = progress;
        this.from = from;
        this.to = to;
        this.timeout = timeout;
    }

    VolumeInfo move(VolumeMove move) {
        progress.info("Moving volume " + move.volumeId() + " from " + move.fromZone() + " to " + move.toZone()
                + (move.crossRegion() ? " (across regions)" : "") + "; each wait is bounded by " + timeout.toSeconds() + " s");
        VolumeSpec spec = from.volumeSpec(move.volumeId());
        Map<String, String> tags = Map.of(Tags.MOVED_FROM, move.volumeId());
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
            from.tag(move.volumeId(), Tags.NAME, move.oldVolumeName(created.get()));
            oldRenamed = true;
            to.tag(created.get(), Tags.NAME, move.name());
        } catch (Failure e) {
            throw new Failure(move.halfway(e.getMessage(), snapshot, copy, created, oldRenamed), e);
        }
        progress.info("Volume '" + move.name() + "' is now " + created.get() + " in " + move.toZone() + "; the old volume "
                + move.volumeId() + " is renamed " + move.oldVolumeName(created.get())
                + snapshot.map(s -> ", snapshot " + s).orElse("") + copy.map(c -> " and copy " + c).orElse("")
                + " kept (ec2spotter cleanup deletes them once the new volume has proved itself)");
        return new VolumeInfo(created.get(), move.toZone(), "available", spec.type(), spec.sizeGib(), List.of());
    }

    private void step(String what, String id, Ec2 ec2, boolean snapshot) {
        Instant start = Instant.now();
        progress.info("Waiting for " + what + " ...");
        if (snapshot) {
            ec2.awaitSnapshotCompleted(id, timeout);
        } else {
            ec2.awaitVolumeAvailable(id, timeout);
        }
        progress.info("  done in " + Duration.between(start, Instant.now()).toSeconds() + " s");
    }
}
