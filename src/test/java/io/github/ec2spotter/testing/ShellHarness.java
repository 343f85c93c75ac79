package io.github.ec2spotter.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the parameter blocks of many rendered boot scripts in one shell process, in a harmless
 * mode: each block's assignment lines, then a {@code printf} of every parameter, NUL-separated.
 * A value that escaped its quotes would run as a command, or swallow the lines after it, and
 * the values printed back would not be the values rendered.
 */
public final class ShellHarness {
    /** The shells the boot script must work under; a missing one fails the test with its install command. */
    public static final List<List<String>> SHELLS = List.of(List.of("dash"), List.of("busybox", "sh"));

    private ShellHarness() {
    }

    /**
     * Runs the blocks and returns, for each block, the bytes the shell printed for each parameter.
     *
     * @param blocks     each block's lines, exactly as they appear in the rendered script
     * @param parameters the names to print, in order
     */
    public static List<List<byte[]>> run(List<String> shell, Path dir, List<List<String>> blocks, List<String> parameters)
            throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder("set -eu\n");
        StringBuilder printf = new StringBuilder("printf '%s\\0'");
        for (String p : parameters) {
            printf.append(" \"$").append(p).append('"');
        }
        for (int i = 0; i < blocks.size(); i++) {
            for (String line : blocks.get(i)) {
                script.append(line).append('\n');
            }
            // The block number first: a block that swallowed the next one shows up as a gap.
            script.append("printf '%s\\0' ").append(i).append('\n').append(printf).append('\n');
        }
        // If quoting ever broke, the values would run as commands: run them in an empty scratch
        // directory, with a minimal environment and, when the tests run as root, as nobody.
        Path scratch = Files.createTempDirectory("ec2spotter-harness");
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path file = scratch.resolve("harness.sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        command.addAll(shell);
        command.add(file.toString());
        Path err = Files.createTempFile(dir, "harness", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(scratch.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().put("LC_ALL", "C");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException(shell.get(0) + " is not installed (apt-get install dash busybox-static)", e);
        }
        process.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(shell + " did not finish the harness in 120 s");
        }
        try (Stream<Path> left = Files.list(scratch)) {
            List<String> created = left.map(p -> p.getFileName().toString()).filter(n -> !n.equals("harness.sh")).toList();
            if (!created.isEmpty()) {
                throw new AssertionError(shell + ": injection: running the parameter blocks created " + created
                        + " in " + scratch);
            }
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(shell + " failed on the harness " + file + " (exit " + process.exitValue() + "): "
                    + Files.readString(err));
        }
        List<byte[]> fields = splitOnNul(out.toByteArray());
        int width = parameters.size() + 1;
        if (fields.size() != blocks.size() * width) {
            throw new AssertionError(shell + " printed " + fields.size() + " fields for " + blocks.size()
                    + " blocks of " + width + "; harness " + file);
        }
        List<List<byte[]>> results = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            String number = new String(fields.get(i * width), StandardCharsets.UTF_8);
            if (!number.equals(Integer.toString(i))) {
                throw new AssertionError(shell + ": block " + i + " printed as block '" + number + "'; harness " + file);
            }
            results.add(List.copyOf(fields.subList(i * width + 1, (i + 1) * width)));
        }
        Files.delete(file);
        Files.delete(scratch);
        Files.delete(err);
        return results;
    }

    /** {@code sh -n} on each file, in one shell process per batch; returns the files that did not parse. */
    public static List<Path> syntaxErrors(List<String> shell, List<Path> files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(shell);
        command.addAll(List.of("-c", "for f; do " + String.join(" ", shell) + " -n \"$f\" 2>/dev/null || printf '%s\\n' \"$f\"; done",
                "check"));
        files.forEach(f -> command.add(f.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(shell + " -n did not finish in 300 s");
        }
        return out.lines().filter(l -> !l.isBlank()).map(Path::of).toList();
    }

    private static List<byte[]> splitOnNul(byte[] bytes) {
        List<byte[]> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                byte[] field = new byte[i - start];
                System.arraycopy(bytes, start, field, 0, field.length);
                fields.add(field);
                start = i + 1;
            }
        }
        if (start != bytes.length) {
            throw new AssertionError("harness output does not end with a NUL");
        }
        return fields;
    }
}
