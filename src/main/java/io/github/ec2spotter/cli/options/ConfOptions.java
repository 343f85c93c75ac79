package io.github.ec2spotter.cli.options;

import io.github.ec2spotter.cli.output.Console;
import io.github.ec2spotter.config.ConfFile;
import io.github.ec2spotter.config.Credentials;
import io.github.ec2spotter.config.CredentialsFile;
import io.github.ec2spotter.config.InputException;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.config.ProfileFiles;
import io.github.ec2spotter.config.SettingsReader;
import io.github.ec2spotter.text.Printable;
import io.github.ec2spotter.text.ShellWords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The conf file, the optional credentials file and {@code --profile}, shared by the commands that read them. */
public final class ConfOptions {
    @Parameters(index = "0", paramLabel = "CONF", description = "The ec2spotter conf file (see example.conf).")
    public Path confFile;

    @Parameters(index = "1", arity = "0..1", paramLabel = "CREDS",
            description = "AWS credentials: a file with AWSAccessKeyId=/AWSSecretKey= lines, or an AWS CLI "
                    + "credentials file. Without it: the AWS default chain (environment, profiles, SSO, instance role).")
    Path credentialsFile;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Profile to use: the section of the CREDS file, or of ~/.aws when CREDS is not given "
                    + "(default: $AWS_PROFILE, then default).")
    String profile;

    /**
     * {@code ec2spotter <command>} for the same conf, credentials file and {@code --profile}, as a
     * line to paste into a POSIX shell: a word with anything but safe characters is single-quoted.
     */
    public String commandLine(String command) {
        List<String> words = new ArrayList<>(List.of("ec2spotter", command));
        if (profile != null) {
            words.add("--profile=" + profile);
        }
        words.add(confFile.toString());
        if (credentialsFile != null) {
            words.add(credentialsFile.toString());
        }
        return ShellWords.line(words);
    }

    /**
     * Gives back the word picocli took for CREDS when it came after {@code --} (where every word is
     * positional) and only CONF came before: then it was the first of {@code ssh}'s own words.
     */
    public String takeBackCredentialsWord() {
        String word = credentialsFile.toString();
        credentialsFile = null;
        return word;
    }

    /** The validated conf; its warnings go to the console. */
    public LaunchSettings settings(Console console, Optional<String> instanceType) {
        SettingsReader.Result result = SettingsReader.read(ConfFile.read(confFile));
        result.warnings().forEach(console::warn);
        LaunchSettings settings = result.settings();
        if (instanceType.isPresent()) {
            if (!SettingsReader.isInstanceType(instanceType.get())) {
                throw new InputException("--instance-type: '" + Printable.of(instanceType.get())
                        + "' is not an instance type such as g4dn.xlarge");
            }
            settings = settings.withInstanceType(instanceType.get());
        }
        return settings;
    }

    public Credentials credentials(Console console) {
        Optional<String> chosenProfile = Optional.ofNullable(profile);
        if (credentialsFile == null) {
            if (profile != null) {
                ProfileFiles.missing(profile, System.getenv()).ifPresent(message -> {
                    throw new InputException(message);
                });
            }
            return new Credentials.DefaultChain(chosenProfile, ProfileFiles.chainSource(chosenProfile, System.getenv()));
        }
        Optional<String> fileProfile = chosenProfile.or(() -> Optional.ofNullable(System.getenv("AWS_PROFILE"))
                .filter(p -> !p.isBlank()));
        CredentialsFile.Result result = CredentialsFile.read(credentialsFile, fileProfile, profile != null);
        result.warning().ifPresent(console::warn);
        return result.credentials();
    }
}
