package io.github.ec2spotter.training;


import io.github.ec2spotter.cli.ExitCodes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * The workload that {@code scripts/ec2spotter} records into its class-data cache: the real
 * {@code launch} (and a dry run), {@code status}, {@code user-data}, a conf error and the help screens, run
 * in-process against {@link StubEc2} on 127.0.0.1 with made-up keys, so the cache holds the
 * classes a user's run loads. It never reaches AWS. Prints nothing on success; on failure one
 * line per problem on stderr, exit 1.
 */
@Command(name = "train-cache", hidden = true,
        description = "Run the launch code against a stub EC2 on 127.0.0.1 (for the class-data cache).")
public final class TrainCacheCommand implements Callable<Integer> {
    /**
     * What launch must ask EC2: the duplicate guard looks for live requests, the volume check
     * reads the old instance's state; the AMI lookup runs beside them, so the actions are
     * compared in any order.
     */
    private static final List<String> LAUNCH_CALLS = List.of("DescribeVolumes", "DescribeSpotInstanceRequests",
            "DescribeInstances", "DescribeImages");
    /** What status asks: the volume (first: none or two end the run), the request, its instance, the spot price. */
    private static final List<String> STATUS_CALLS = List.of("DescribeVolumes", "DescribeSpotInstanceRequests",
            "DescribeInstances", "DescribeSpotPriceHistory");

    /** Runs one command line the way Main does, with the commands reading {@code env} instead of the process's. */
    @FunctionalInterface
    public interface Runner {
        int run(Map<String, String> env, String... args);
    }

    private final Runner runner;

    /** The start-up code hands in the runner, so that this package needs nothing of it. */
    public TrainCacheCommand(Runner runner) {
        this.runner = runner;
    }

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        List<String> problems = new ArrayList<>();
        Path dir = Files.createTempDirectory("ec2spotter-train");
        try (StubEc2 stub = StubEc2.start()) {
            String conf = write(dir.resolve("train.conf"), """
                    ec2spotter_volume_name=%s
                    ec2spotter_launch_zone=%s
                    ec2spotter_preboot_image_id=%s
                    ec2spotter_instance_type=g4dn.xlarge
                    ec2spotter_key_name=training-key
                    ec2spotter_subnet=subnet-0123456789abcdef0
                    ec2spotter_security_group=sg-0123456789abcdef0
                    ec2spotter_iam_instance_profile=training-profile
                    ec2spotter_bid_price=0.42
                    ec2spotter_instance_name='training box'
                    """.formatted(StubEc2.VOLUME_NAME, StubEc2.ZONE, StubEc2.IMAGE_ID));
            String creds = write(dir.resolve("train.creds"),
                    "AWSAccessKeyId=AKIDTRAININGONLY0001\nAWSSecretKey=training-secret-not-a-real-key\n");
            Map<String, String> env = Map.of("AWS_ENDPOINT_URL_EC2", stub.url());
            PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
            System.setOut(discard);
            System.setErr(discard);
            expect(problems, ExitCodes.OK, env, "launch", "--dry-run", conf, creds);
            expect(problems, ExitCodes.OK, env, "launch", conf, creds);
            expect(problems, ExitCodes.OK, env, "status", conf, creds);
            expect(problems, ExitCodes.OK, env, "user-data", conf);
            expect(problems, ExitCodes.USAGE, env, "launch", dir.resolve("missing.conf").toString(), creds);
            expect(problems, ExitCodes.OK, env, "--help");
            expect(problems, ExitCodes.OK, env, "--version");
            expect(problems, ExitCodes.OK, env, "launch", "--help");
            List<String> expected = new ArrayList<>(LAUNCH_CALLS);
            expected.add("RequestSpotInstances+DryRun");
            expected.addAll(LAUNCH_CALLS);
            expected.add("RequestSpotInstances");
            expected.addAll(STATUS_CALLS);
            if (!sorted(stub.actions()).equals(sorted(expected))) {
                problems.add("the stub EC2 received " + stub.actions() + ", expected " + expected);
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        problems.forEach(p -> err.println("train-cache: " + p));
        return problems.isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private static List<String> sorted(List<String> actions) {
        return actions.stream().sorted().toList();
    }

    private void expect(List<String> problems, int exitCode, Map<String, String> env, String... args) {
        int actual = runner.run(env, args);
        if (actual != exitCode) {
            problems.add("'" + String.join(" ", args) + "' exited " + actual + ", expected " + exitCode);
        }
    }

    private static String write(Path file, String text) throws IOException {
        return Files.writeString(file, text).toString();
    }
}
