package io.github.ec2spotter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code ec2spotter.jar} as a separate process, the way a user does. */
public final class Jar {
    private Path jar;
    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> launcher = new ArrayList<>();
    /** How the JVM is told what to run: the jar's Main-Class, unless {@link #mainClass} says otherwise. */
    private List<String> entryPoint;

    private Jar(Path jar, Path workDir) {
        this.jar = jar;
        this.workDir = workDir;
        this.entryPoint = List.of("-jar", jar.toString());
        // The JIT and GC the launchers run the jar with (scripts/ec2spotter, bin/ec2spotter):
        // they change nothing the tests look at, and take about a third of the CPU time off each
        // of the many short runs, which the 2-core CI machine shares with QEMU. The bare
        // `java -jar` is what scripts/bench and scripts/demo run.
        jvmOptions.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    }

    /** The jar Maven built ({@code -Dec2spotter.jar}, set by failsafe), run in {@code workDir}. */
    public static Jar built(Path workDir) {
        String path = System.getProperty("ec2spotter.jar", "target/ec2spotter.jar");
        Path jar = Path.of(path).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests with mvn verify");
        }
        return new Jar(jar, workDir);
    }

    /** Sets an environment variable for the runs (the rest of the environment is cleared of AWS settings). */
    public Jar env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Adds an option for the JVM that runs the jar, such as {@code -Djava.io.tmpdir=...}. */
    public Jar jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /**
     * Runs {@code className} instead of the jar's Main-Class, with {@code classes} (such as the
     * test classes) after the jar on the class path.
     */
    public Jar mainClass(String className, Path classes) {
        entryPoint = List.of("-cp", jar + java.io.File.pathSeparator + classes.toAbsolutePath(), className);
        return this;
    }

    /** Runs the jar as another user ({@code runuser}, which needs root). */
    public Jar asUser(String user) throws IOException {
        // The checkout may lie in a directory only its owner can enter (mktemp -d makes those):
        // the other user runs a readable copy in the work directory, which the caller opened to it.
        Path copy = workDir.resolve("ec2spotter.jar");
        Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(copy, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        jar = copy;
        entryPoint = List.of("-jar", jar.toString());
        launcher.clear();
        launcher.addAll(List.of("runuser", "-u", user, "--"));
        return this;
    }

    /** The outcome of one run. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return runWithInput(null, args);
    }

    /** Runs with {@code stdin} as standard input ({@code null}: /dev/null). */
    public Result runWithInput(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.addAll(entryPoint);
        command.addAll(List.of(args));
        return start(command, stdin, args);
    }

    /**
     * Runs on a pseudo-terminal, as a user at a terminal would: util-linux {@code script} gives the
     * jar a pty; stdout and stderr both arrive in {@link Result#stdout()}. {@code stdin} is typed
     * into the terminal.
     */
    public Result runOnTerminal(String stdin, String... args) throws IOException, InterruptedException {
        return runOnTerminalRedirected(stdin, "", args);
    }

    /**
     * {@link #runOnTerminal}, with {@code redirect} (shell words such as {@code >out 2>err}, run in
     * the work directory) sending stdout or stderr away from the terminal, as {@code | tee log} or
     * {@code 2>err} would; stdin stays the terminal.
     */
    public Result runOnTerminalRedirected(String stdin, String redirect, String... args)
            throws IOException, InterruptedException {
        StringBuilder line = new StringBuilder("exec");
        List<String> words = new ArrayList<>(List.of(javaBinary()));
        words.addAll(jvmOptions);
        words.addAll(entryPoint);
        for (String word : words) {
            line.append(' ').append(quote(word));
        }
        for (String arg : args) {
            line.append(' ').append(quote(arg));
        }
        line.append(' ').append(redirect);
        try {
            return start(List.of("script", "-qec", line.toString(), "/dev/null"), stdin == null ? "" : stdin, args);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run util-linux script for a pseudo-terminal (apt-get install bsdutils): "
                    + e.getMessage(), e);
        }
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private Result start(List<String> command, String stdin, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        // Nothing from the developer's own AWS set-up may leak into a test run, least of all real endpoints.
        builder.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        builder.environment().put("HOME", workDir.toString());
        builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        builder.environment().putAll(env);
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process = builder.start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("ec2spotter " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
