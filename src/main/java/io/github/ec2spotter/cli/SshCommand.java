package io.github.ec2spotter.cli;

import io.github.ec2spotter.cli.options.ConfOptions;
import io.github.ec2spotter.config.InputException;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.config.SettingsReader;
import io.github.ec2spotter.ec2.Ec2;
import io.github.ec2spotter.model.Failure;
import io.github.ec2spotter.ops.SshTarget;
import io.github.ec2spotter.plan.SshLogin;
import io.github.ec2spotter.text.Printable;
import io.github.ec2spotter.text.ShellWords;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ssh", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Log in to the volume's running instance with ssh.",
                "Finds the current instance (the newest ec2spotter request's, as status shows it), which must be "
                        + "running, and runs ssh to its public address, or to its private address when it has none "
                        + "(a note on stderr says so).",
                "The user is --user, else ec2spotter_ssh_user, else ubuntu; -i is ec2spotter_ssh_key when set (a "
                        + "leading ~/ is the home directory). -o HostKeyAlias=ec2spotter-<volume id> keeps "
                        + "known_hosts valid when a replacement instance has a new address. Words after -- go to "
                        + "ssh, after the destination: options (-L 8888:localhost:8888) or a command.",
                "No running instance: exit 1 with what status says of the newest request. No volume with the conf's "
                        + "Name, or two or more, is an error, as for launch."},
        footer = {"", "Exit codes: 0 done (--print), 1 no running instance, no such volume, ssh not found, AWS or "
                + "runtime failure, 2 bad options, conf or credentials file, or the key file missing; once ssh ran, "
                + "ssh's own exit code."})
public final class SshCommand extends BaseCommand {
    @Mixin
    ConfOptions conf;

    @Option(names = "--user", paramLabel = "USER", description = "Log in as USER (default: ec2spotter_ssh_user, "
            + "else ubuntu).")
    String user;

    @Option(names = "--print", description = "Print the ssh command line (shell-quoted) instead of running it.")
    boolean print;

    @Parameters(index = "2..*", paramLabel = "SSH-ARGS", description = "After --: more words for ssh.")
    List<String> sshArgs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    int run() {
        List<String> extra = extraWords();
        LaunchSettings settings = inKnownRegions(conf.settings(console, Optional.empty()));
        String login = Optional.ofNullable(user).or(settings::sshUser).orElse(LaunchSettings.DEFAULT_SSH_USER);
        if (user != null && !SettingsReader.isSshUser(user)) {
            throw new InputException("--user: '" + Printable.of(user) + "' is not valid; expected "
                    + SettingsReader.SSH_USER_EXPECTED);
        }
        Optional<String> key = settings.sshKey().map(k -> keyFile(settings, k));
        Optional<Path> ssh = print ? Optional.empty() : Optional.of(sshOnPath());
        Ec2.Connector connector = ec2(conf.credentials(console));
        SshTarget.Found found;
        try (Ec2 ec2 = connector.connect(settings.region())) {
            found = SshTarget.find(settings, ec2, connector, console);
        }
        List<String> words = SshLogin.words(login, found.address(), key, found.volume().id(), extra);
        if (ssh.isEmpty()) {
            console.result(ShellWords.line(words));
            return ExitCodes.OK;
        }
        console.info("Connecting to " + found.instance().id() + " at " + found.address().host() + " as " + login);
        return runSsh(ssh.get(), words);
    }

    /**
     * The words after {@code --}. Every word there is positional, so when only CONF came before
     * it, picocli gave the first of them to CREDS: that one is ssh's too.
     */
    private List<String> extraWords() {
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        int end = original.indexOf("--");
        List<String> extra = new ArrayList<>(sshArgs);
        if (end >= 0 && extra.size() < original.size() - end - 1) {
            extra.add(0, conf.takeBackCredentialsWord());
        }
        return extra;
    }

    /** The key file, {@code ~/} expanded; a missing file is a conf error, named with its key. */
    private String keyFile(LaunchSettings settings, String configured) {
        String path = configured;
        if (configured.startsWith("~/")) {
            String home = environmentVariable("HOME").filter(h -> !h.isEmpty()).orElseThrow(() -> new InputException(
                    settings.confFile() + ": ec2spotter_ssh_key=" + Printable.of(configured)
                            + " starts with ~/ but HOME is not set"));
            path = home + configured.substring(1);
        }
        try {
            if (!Files.isRegularFile(Path.of(path))) {
                throw new InputException(settings.confFile() + ": ec2spotter_ssh_key=" + Printable.of(configured)
                        + ": no such file: " + Printable.of(path));
            }
        } catch (InvalidPathException e) {
            throw new InputException(settings.confFile() + ": ec2spotter_ssh_key=" + Printable.of(configured)
                    + " is not a path: " + Printable.of(e.getMessage()));
        }
        return path;
    }

    private Path sshOnPath() {
        String path = environmentVariable("PATH").orElse("");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "ssh");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new Failure("ssh not found on PATH (" + Printable.of(path) + "): install OpenSSH's client, or use"
                + " --print and run the line yourself");
    }

    /**
     * Java cannot exec(2) into another program: ssh runs as a child with this process's stdin,
     * stdout and stderr (so it has the terminal), and its exit code becomes this one's. On a
     * terminal ssh puts it in raw mode, so Ctrl-C goes to the remote side, as with a plain ssh.
     */
    private int runSsh(Path ssh, List<String> words) {
        List<String> command = new ArrayList<>(words);
        command.set(0, ssh.toString());
        try {
            return new ProcessBuilder(command).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new Failure("cannot run " + ssh + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while ssh ran", e);
        }
    }
}
