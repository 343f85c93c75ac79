package io.github.ec2spotter.ops;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * How a use case makes a call whose answer it needs only later, and that depends on nothing
 * before it: at once on a thread of its own, beside the calls made meanwhile ({@link #ON_THREAD}),
 * or when the answer is asked for ({@link #IN_SEQUENCE}). Either way a failure of the call is
 * thrown where the answer is asked for, and not at all if it never is: a failure that comes first
 * in the use case's own order is the one the user sees.
 */
public final class Lookahead {
    /** Each call on a thread of its own, started at once. */
    public static final Lookahead ON_THREAD = new Lookahead(true);
    /** Each call made when its answer is asked for: the calls happen one at a time, in the use case's order. */
    public static final Lookahead IN_SEQUENCE = new Lookahead(false);

    private final boolean threaded;

    private Lookahead(boolean threaded) {
        this.threaded = threaded;
    }

    /** The answer of {@code call}, to be asked for once; {@code name} names the thread it may run on. */
    public <T> Supplier<T> start(String name, Supplier<T> call) {
        if (!threaded) {
            return call;
        }
        FutureTask<T> task = new FutureTask<>(call::get);
        Thread thread = new Thread(task, name);
        // A call whose answer is not wanted any more (the launch failed before it) must not hold up the exit.
        thread.setDaemon(true);
        thread.start();
        return () -> answer(name, task);
    }

    private static <T> T answer(String name, FutureTask<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(name + " failed", e.getCause());
        }
    }
}
