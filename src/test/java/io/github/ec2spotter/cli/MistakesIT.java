package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.testing.Jar;
import io.github.ec2spotter.testing.Moto;
import io.github.ec2spotter.testing.MotoTest;
import io.github.ec2spotter.testing.Seed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mistakes a new user makes in the first hour, each named by the message it gets: the jar run
 * as a process against moto_server, which records that input errors send no request at all.
 */
class MistakesIT extends MotoTest {
    Jar jar;

    @BeforeEach
    void prepare() throws IOException {
        jar = Jar.built(dir).env("AWS_ENDPOINT_URL_EC2", moto.endpoint());
        moto.clearRecording();
    }

    @Test
    void aMistypedRequiredKeyIsNamedWithItsLineInTheSameRun() throws Exception {
        Path conf = conf("");
        Files.writeString(conf, Files.readString(conf).replace("ec2spotter_instance_type=", "ec2spotter_instance_typ="));

        Jar.Result r = jar.run("launch", conf.toString(), creds().toString());

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals(List.of("error: " + conf + ": ec2spotter_instance_type is missing; set it to the instance type, e.g."
                + " g4dn.xlarge", conf + ":4: ec2spotter_instance_typ is not a known setting; ignored (did you mean"
                + " ec2spotter_instance_type?)"), r.stderr().lines().toList());
        assertTrue(moto.calls().isEmpty());
    }

    @Test
    void argumentsSwappedSayTheConfLooksLikeACredentialsFile() throws Exception {
        Jar.Result r = jar.run("status", creds().toString(), conf("").toString());

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("error: " + creds() + ":1: this looks like an AWS credentials file (the key AWSAccessKeyId), not a"
                + " conf file: give the conf file first, then the credentials file: ec2spotter <command> CONF [CREDS]",
                r.stderr().strip());
        assertFalse(r.stderr().contains(Moto.SECRET_ACCESS_KEY));
    }

    @Test
    void theDuplicateGuardPrintsTheStopCommandWithCredentialsAndProfile() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        Path ini = privateFile("my creds", "[work]\naws_access_key_id = " + Moto.ACCESS_KEY_ID
                + "\naws_secret_access_key = " + Moto.SECRET_ACCESS_KEY + "\n");
        assertEquals(0, jar.run("launch", "--profile", "work", conf("").toString(), ini.toString()).exitCode());

        Jar.Result again = jar.run("launch", "--profile", "work", conf("").toString(), ini.toString());

        assertEquals(1, again.exitCode(), again::toString);
        // A path with a space is quoted, so the line pastes into a shell as it is.
        assertTrue(again.stderr().contains("; to stop it:\n    ec2spotter stop --profile=work " + conf("") + " '" + ini
                + "'\n"), again::toString);
    }

    @Test
    void anUnknownProfileWithoutCredsNamesTheProfileAndTheFilesSearched() throws Exception {
        Path aws = Files.createDirectories(dir.resolve(".aws"));
        privateFile(".aws/credentials", "[default]\naws_access_key_id = " + Moto.ACCESS_KEY_ID
                + "\naws_secret_access_key = " + Moto.SECRET_ACCESS_KEY + "\n[work]\naws_access_key_id = "
                + Moto.ACCESS_KEY_ID + "\naws_secret_access_key = " + Moto.SECRET_ACCESS_KEY + "\n");

        Jar.Result r = jar.run("status", "--profile=nope", conf("").toString());

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("error: --profile nope: no such profile in " + aws.resolve("credentials") + " or "
                + aws.resolve("config") + " (no such file); profiles there: default, work. Give the profile's credentials"
                + " file as second argument, or a profile these files have", r.stderr().strip());
        assertTrue(moto.calls().isEmpty());
    }

    @Test
    void credentialsFilesThatCannotMeanWhatTheySay() throws Exception {
        Path noHeader = privateFile("no-header", "aws_access_key_id = " + Moto.ACCESS_KEY_ID
                + "\naws_secret_access_key = " + Moto.SECRET_ACCESS_KEY + "\n");
        Jar.Result r = jar.run("status", conf("").toString(), noHeader.toString());
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("no section header: put a line [default]"), r::toString);

        Jar.Result legacy = jar.run("status", "--profile", "work", conf("").toString(), creds().toString());
        assertEquals(2, legacy.exitCode(), legacy::toString);
        assertTrue(legacy.stderr().contains("--profile work: credentials file " + creds() + " has no profiles"),
                legacy::toString);
        assertTrue(moto.calls().isEmpty());
    }

    @Test
    void zonesAreCheckedOfflineForShapeAndRegion() throws Exception {
        record Case(String zone, String expected) {
        }
        for (Case c : List.of(
                new Case("us-east-1", "'us-east-1' is not valid; us-east-1 is a region, not an availability zone: add"
                        + " the zone letter, e.g. us-east-1a"),
                new Case("us-east-1z", "'us-east-1z' is not valid; no availability zone ends in 'z'"),
                new Case("eu-mars-1a", "ec2spotter_launch_zone=eu-mars-1a: eu-mars-1 is not an AWS region"),
                new Case("us-eats-1a", "ec2spotter_launch_zone=us-eats-1a: us-eats-1 is not an AWS region (did you mean"
                        + " us-east-1?)"))) {
            Path conf = conf("");
            Files.writeString(conf, Files.readString(conf).replace("launch_zone=" + ZONE, "launch_zone=" + c.zone()));

            Jar.Result r = jar.run("launch", conf.toString(), creds().toString());

            assertEquals(2, r.exitCode(), r::toString);
            assertTrue(r.stderr().contains(c.expected()), c.zone() + ": " + r);
        }
        assertTrue(moto.calls().isEmpty(), "no zone reached EC2");
    }

    @Test
    void confLinesWithSpacesOrEmptyValuesSaySo() throws Exception {
        Path conf = conf("");
        String good = Files.readString(conf);
        Files.writeString(conf, good.replace("ec2spotter_instance_type=", "ec2spotter_instance_type = "));
        Jar.Result spaced = jar.run("launch", conf.toString(), creds().toString());
        assertEquals(2, spaced.exitCode(), spaced::toString);
        assertTrue(spaced.stderr().contains(conf + ":4: ec2spotter_instance_type: no spaces around ="), spaced::toString);

        Files.writeString(conf, good.replace("ec2spotter_instance_type=t3.micro", "ec2spotter_instance_type="));
        Jar.Result empty = jar.run("launch", conf.toString(), creds().toString());
        assertEquals(2, empty.exitCode(), empty::toString);
        assertTrue(empty.stderr().contains(conf + ":4: ec2spotter_instance_type is empty"), empty::toString);
    }

    @Test
    void usageErrorsAreOneErrorAndAPointerNotTheWholeHelpPage() throws Exception {
        Jar.Result option = jar.run("launch", "--dryrun", conf("").toString());
        assertEquals(2, option.exitCode(), option::toString);
        assertEquals(List.of("error: Unknown option: '--dryrun'", "did you mean --dry-run?",
                "Run 'ec2spotter launch --help' for its usage."), option.stderr().lines().toList());

        for (List<String> args : List.of(List.of("lauch", "--help"), List.of("lauch", "my.conf"))) {
            Jar.Result r = jar.run(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), r::toString);
            assertTrue(r.stderr().startsWith("error: 'lauch' is not an ec2spotter command; did you mean launch?"),
                    r::toString);
            assertEquals("", r.stdout(), "no help page: " + r);
        }

        Jar.Result verbose = jar.run("-v", "launch", conf("").toString());
        assertEquals(2, verbose.exitCode(), verbose::toString);
        assertTrue(verbose.stderr().startsWith("error: -v goes after the command"), verbose::toString);
        assertTrue(verbose.stderr().lines().count() <= 2, verbose::toString);

        Jar.Result ssh = jar.run("launch", "--ssh-user", "admin", conf("").toString(), creds().toString());
        assertEquals(2, ssh.exitCode(), ssh::toString);
        assertTrue(ssh.stderr().contains("--ssh-user is for the ssh line --wait prints"), ssh::toString);
        assertTrue(moto.calls().isEmpty());
    }

    @Test
    void versionOnASubcommandPrintsTheVersion() throws Exception {
        String version = jar.run("--version").stdout();
        assertTrue(version.startsWith("ec2spotter "), version);
        for (String command : List.of("launch", "status", "stop", "ssh", "snapshot", "cleanup", "prices")) {
            Jar.Result r = jar.run(command, "-V");
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals(version, r.stdout(), command);
        }
    }

    @Test
    void pricesForATypeEc2DoesNotKnowIsAFailure() throws Exception {
        Jar.Result r = jar.run("prices", "--instance-type", "t3.mcro", conf("").toString(), creds().toString());

        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stderr().startsWith("error: EC2 reports no spot price for t3.mcro in us-east-1: no such instance"
                + " type, or it is not offered there"), r::toString);
    }

    @Test
    void smallerThings() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        Jar.Result json = jar.run("status", "--output=JSON", conf("").toString(), creds().toString());
        assertEquals(0, json.exitCode(), json::toString);
        assertTrue(json.stdout().startsWith("{"), json::toString);

        Jar.Result timeout = jar.run("stop", "--timeout", "ten", conf("").toString(), creds().toString());
        assertEquals(2, timeout.exitCode(), timeout::toString);
        assertTrue(timeout.stderr().contains("'ten' is not a whole number"), timeout::toString);
        assertFalse(timeout.stderr().contains("long"), timeout::toString);

        for (String command : List.of("launch", "status", "stop", "ssh", "snapshot", "cleanup", "prices", "user-data",
                "completion")) {
            Jar.Result help = jar.run(command, "--help");
            assertTrue(help.stdout().contains("\nExit codes: 0 done"), command + ": " + help);
        }
        assertFalse(jar.run("user-data", "--help").stdout().contains("every AWS request"));
    }

    /** -v tells which EC2 action each request line is, where the keys came from, and a dry run's yes is no trace. */
    @Test
    void verboseDryRunNamesEachActionAndTheCredentialsWithoutAStackTrace() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");

        Jar.Result dry = jar.run("launch", "-v", "--dry-run", conf("").toString(), creds().toString());

        assertEquals(0, dry.exitCode(), dry::toString);
        String err = dry.stderr();
        assertTrue(err.contains("credentials from " + creds() + " (access key " + Moto.ACCESS_KEY_ID + ")"), err);
        for (String action : List.of("DescribeVolumes", "DescribeSpotInstanceRequests", "DescribeImages",
                "RequestSpotInstances")) {
            assertTrue(java.util.regex.Pattern.compile("DEBUG RequestLog: EC2 " + action + ": HTTP \\d{3}, request id \\S+")
                    .matcher(err).find(), action + " not named: " + err);
        }
        assertTrue(err.contains("EC2 RequestSpotInstances: DryRunOperation, the dry run's answer that the request would"
                + " succeed"), err);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "a stack trace for a dry run that succeeded: " + err);
        assertFalse(err.contains("DefaultSdkHttpFullRequest"), "SDK request lines that name no action: " + err);
        assertTrue(dry.stdout().startsWith("Dry run: EC2 would accept"), dry::toString);

        // The default chain: the profile and the file it is in, named before any call.
        Files.createDirectories(dir.resolve(".aws"));
        Path shared = privateFile(".aws/credentials", "[work]\naws_access_key_id = " + Moto.ACCESS_KEY_ID
                + "\naws_secret_access_key = " + Moto.SECRET_ACCESS_KEY + "\n");
        Jar.Result profile = jar.run("status", "-v", "--profile", "work", conf("").toString());
        assertEquals(0, profile.exitCode(), profile::toString);
        assertTrue(profile.stderr().contains("credentials from the default AWS chain: profile work from " + shared),
                profile::toString);
        assertFalse(profile.stderr().contains(Moto.SECRET_ACCESS_KEY), profile::toString);
    }

    @Test
    void statusFitsEightyColumnsUnlessWideAndPricesReadAsInPrices() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");
        String request = requestIdOf(jar.run("launch", conf("").toString(), creds().toString()));

        Jar.Result narrow = jar.run("status", conf("").toString(), creds().toString());
        Jar.Result wide = jar.run("status", "--wide", conf("").toString(), creds().toString());
        Jar.Result prices = jar.run("prices", conf("").toString(), creds().toString());

        assertEquals(0, narrow.exitCode(), narrow::toString);
        for (String line : narrow.stdout().lines().toList().subList(0, 3)) {
            assertTrue(line.length() <= 80, line.length() + " columns: " + line);
        }
        String row = narrow.stdout().lines().filter(l -> l.startsWith(request)).findFirst().orElseThrow();
        assertTrue(row.contains("active") && row.contains("fulfilled") && row.contains(" i-"), row);
        String note = narrow.stdout().lines().filter(l -> l.startsWith("(--wide adds ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line names the columns left out: " + narrow));
        assertTrue(note.contains("LAUNCHED"), note);

        assertEquals(0, wide.exitCode(), wide::toString);
        String header = wide.stdout().lines().findFirst().orElseThrow();
        assertTrue(header.length() > 80, header);
        for (String column : List.of("REQUEST", "TYPE", "STATE", "STATUS", "INSTANCE", "INSTANCE-STATE", "PUBLIC-IP",
                "LAUNCHED", "ZONE", "SPOT-USD/HOUR")) {
            assertTrue(header.contains(column), column + " missing from --wide: " + header);
        }
        assertFalse(wide.stdout().contains("--wide adds"), wide::toString);

        // The same price, printed the same way, in both commands.
        String price = prices.stdout().lines().filter(l -> l.startsWith(ZONE)).findFirst().orElseThrow().split(" +")[1];
        assertTrue(prices.stdout().contains("ZONE        SPOT-USD/HOUR"), prices::toString);
        String wideRow = wide.stdout().lines().filter(l -> l.startsWith(request)).findFirst().orElseThrow();
        assertTrue(wideRow.endsWith("  " + price), price + " not as in prices: " + wideRow);
    }

    /** The completion script, loaded in a real bash and asked as bash asks at a TAB. */
    @Test
    void completionOffersTheShellAndOptionValuesAlsoAfterEquals() throws Exception {
        Jar.Result r = jar.run("completion", "bash");
        assertEquals(0, r.exitCode(), r::toString);
        Path script = dir.resolve("ec2spotter.bash");
        Files.writeString(script, r.stdout());
        assertTrue(r.stdout().contains("#   source <(ec2spotter completion bash)"), "how to install it: " + r.stdout());
        assertFalse(r.stdout().contains("YOUR_APP_HOME") || r.stdout().contains("*_completion"),
                "picocli's generic installation text: " + r.stdout());

        assertEquals(List.of("bash"), complete(script, "ec2spotter", "completion", ""));
        assertEquals(List.of("table", "json"), complete(script, "ec2spotter", "status", "--output", ""));
        // What bash hands over for "--output=<TAB>" and "--output=j<TAB>": '=' breaks words.
        assertEquals(List.of("table", "json"), complete(script, "ec2spotter", "status", "--output", "="));
        assertEquals(List.of("json"), complete(script, "ec2spotter", "prices", "--output", "=", "j"));
        assertTrue(complete(script, "ec2spotter", "status", "--w").contains("--wide"));
    }

    /** COMPREPLY of the script's function for these words, the last one the word at the cursor. */
    private static List<String> complete(Path script, String... words) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "-c", ". \"$0\"; COMP_WORDS=(\"$@\");"
                + " COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE};"
                + " _complete_ec2spotter; printf '%s\\n' \"${COMPREPLY[@]}\"", script.toString()));
        command.addAll(List.of(words));
        // Outside a real TAB, bash's compopt complains on stderr; what counts is COMPREPLY.
        Process bash = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(bash.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, bash.waitFor(), out);
        return out.lines().filter(l -> !l.isBlank()).map(String::strip).toList();
    }

    /** Progress follows stderr: on the terminal even when stdout goes to a file. */
    @Test
    void waitShowsProgressWhenStderrIsATerminalWhateverStdoutIs() throws Exception {
        Seed.volume(ec2, ZONE, "spotter");

        Jar.Result r = jar.runOnTerminalRedirected(null, ">wait.out", "launch", "--wait", conf("").toString(),
                creds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(java.util.regex.Pattern.compile("\r\033\\[K\\[\\d+ s\\] spot request sir-").matcher(r.stdout())
                .find(), "progress on the terminal: " + r);
        String out = Files.readString(dir.resolve("wait.out"));
        assertTrue(out.contains("is running"), out);
        assertFalse(out.contains("\r"), "no progress in the file: " + out);
    }

    private Path conf(String extra) throws IOException {
        return writeConf(dir, seed.imageId(), extra);
    }

    private Path creds() throws IOException {
        return privateFile(".aws.creds", "AWSAccessKeyId=" + Moto.ACCESS_KEY_ID + "\nAWSSecretKey="
                + Moto.SECRET_ACCESS_KEY + "\n");
    }

    private Path privateFile(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
