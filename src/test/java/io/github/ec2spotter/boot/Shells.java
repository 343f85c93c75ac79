package io.github.ec2spotter.boot;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs real programs (shells, shellcheck, filesystem tools) for the boot script's tests. */
final class Shells {
    /** The shells the boot script must run under: dash (Debian/Ubuntu /bin/sh) and busybox sh. */
    static final List<List<String>> POSIX_SHELLS = List.of(List.of("dash"), List.of("busybox", "sh"));

    private Shells() {
    }

    record Result(int exit, String stdout, String stderr) {
        String both() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /**
     * Fails the test, naming the Debian package, when a program is missing: a suite that skipped
     * would hide that nothing was checked.
     */
    static void require(String command, String debianPackage) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "command -v \"$0\"", command)
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                fail(command + " is not installed; install it with: apt-get install " + debianPackage);
            }
        } catch (IOException | InterruptedException e) {
            fail("cannot look for " + command + ": " + e);
        }
    }

    static Result run(List<String> command) {
        return run(command, Map.of(), Path.of("/"), Duration.ofSeconds(60));
    }

    /**
     * Runs a command with exactly the environment given (plus PATH), stdin from /dev/null, the
     * way cloud-init runs user-data.
     */
    static Result run(List<String> command, Map<String, String> env, Path cwd, Duration timeout) {
        try {
            Path out = Files.createTempFile("ec2spotter-out", ".txt");
            Path err = Files.createTempFile("ec2spotter-err", ".txt");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                String path = builder.environment().get("PATH");
                builder.environment().clear();
                builder.environment().put("PATH", path);
                builder.environment().putAll(env);
                Process p = builder.start();
                if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    fail(command + " did not finish within " + timeout + ":\n" + Files.readString(err));
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs and fails the test unless the command exits 0. */
    static String ok(List<String> command) {
        Result r = run(command);
        if (r.exit() != 0) {
            fail(String.join(" ", command) + " failed:\n" + r.both());
        }
        return r.stdout();
    }

    /** The boot script template exactly as it sits in the jar. */
    static String template() {
        try (InputStream in = BootScript.class.getResourceAsStream(BootScript.TEMPLATE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> with(List<String> shell, String... args) {
        List<String> command = new ArrayList<>(shell);
        command.addAll(List.of(args));
        return command;
    }
}
