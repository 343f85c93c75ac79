package io.github.ec2spotter.config;

import io.github.ec2spotter.model.AccessKeys;
import io.github.ec2spotter.text.Printable;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ini4j.Config;
import org.ini4j.Ini;
import org.ini4j.Profile;

/**
 * Reads the credentials file given on the command line, in either format the original tool's
 * README promised: its own {@code AWSAccessKeyId=} / {@code AWSSecretKey=} file, or an AWS CLI
 * credentials file ({@code [default]} or the section of {@code --profile}).
 */
public final class CredentialsFile {
    private static final String LEGACY_ID = "AWSAccessKeyId";
    private static final String LEGACY_SECRET = "AWSSecretKey";
    private static final String LEGACY_TOKEN = "AWSSessionToken";

    private CredentialsFile() {
    }

    /** The credentials, plus a warning when the file is readable by other users. */
    public record Result(Credentials.FromFile credentials, Optional<String> warning) {
    }

    public static Result read(Path file, Optional<String> profile) {
        return read(file, profile, false);
    }

    /**
     * @param profileGiven whether {@code profile} came from {@code --profile} (not {@code AWS_PROFILE},
     *                     which may be set for other tools): a file without profiles cannot honour it
     */
    public static Result read(Path file, Optional<String> profile, boolean profileGiven) {
        String text = InputFiles.readText(file, "credentials file");
        refuseControlCharacters(file, text);
        boolean ini = text.lines().map(String::strip).anyMatch(l -> l.startsWith("["));
        if (!ini && profileGiven) {
            throw new InputException("--profile " + Printable.of(profile.orElse("")) + ": credentials file " + file
                    + " has no profiles (no [section] lines); drop --profile, or give an AWS CLI credentials file"
                    + " with a [" + Printable.of(profile.orElse("")) + "] section");
        }
        Credentials.FromFile credentials = ini
                ? readIni(file, text, profile.orElse("default"))
                : readLegacy(file, text);
        return new Result(credentials, permissionWarning(file));
    }

    /**
     * No key, secret or token holds a control character, and ini4j drops some of them silently,
     * which would turn a damaged secret into a different one: refuse them, naming the line only.
     */
    private static void refuseControlCharacters(Path file, String text) {
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].chars().anyMatch(c -> Character.isISOControl(c) && c != '\t')) {
                throw new InputException(file + ":" + (i + 1) + ": a control character; a credentials file holds"
                        + " only printable text");
            }
        }
    }

    private static Credentials.FromFile readLegacy(Path file, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                // The line may hold a secret: say where it is, never what it says.
                throw new InputException(file + ":" + (i + 1) + ": expected " + LEGACY_ID + "=... and "
                        + LEGACY_SECRET + "=... lines, or an AWS CLI credentials file with a [default] section");
            }
            values.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
        }
        if (values.containsKey("aws_access_key_id") || values.containsKey("aws_secret_access_key")) {
            throw new InputException("credentials file " + file + " has aws_access_key_id / aws_secret_access_key lines"
                    + " but no section header: put a line [default] (or [<profile>] for --profile) above them");
        }
        String id = values.get(LEGACY_ID);
        String secret = values.get(LEGACY_SECRET);
        if (id == null || id.isEmpty() || secret == null || secret.isEmpty()) {
            throw new InputException("credentials file " + file + " needs both " + LEGACY_ID + "= and "
                    + LEGACY_SECRET + "= (or use an AWS CLI credentials file with aws_access_key_id and"
                    + " aws_secret_access_key)");
        }
        return checked(file, file.toString(), id, secret, Optional.ofNullable(values.get(LEGACY_TOKEN)).filter(t -> !t.isEmpty()));
    }

    private static Credentials.FromFile readIni(Path file, String text, String profile) {
        // ini4j joins a line ending in a backslash with the next one, silently changing or
        // emptying the value; no AWS key or token ends in one, so refuse it (without showing it).
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().endsWith("\\")) {
                throw new InputException(file + ":" + (i + 1) + ": a line ends with a backslash; AWS CLI credentials"
                        + " files have no line continuations");
            }
        }
        Ini ini = new Ini();
        Config config = ini.getConfig().clone();
        config.setEscape(false);
        config.setMultiSection(false);
        ini.setConfig(config);
        try {
            ini.load(new StringReader(text));
        } catch (IOException | RuntimeException e) {
            throw new InputException("credentials file " + file + " is not a valid INI file");
        }
        Profile.Section section = ini.get(profile);
        if (section == null) {
            section = ini.get("profile " + profile);
        }
        if (section == null) {
            throw new InputException("credentials file " + file + " has no [" + Printable.of(profile)
                    + "] section (sections: " + Printable.of(String.join(", ", ini.keySet())) + ")");
        }
        String id = section.get("aws_access_key_id");
        String secret = section.get("aws_secret_access_key");
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            throw new InputException("credentials file " + file + ": section [" + Printable.of(profile)
                    + "] needs aws_access_key_id and aws_secret_access_key");
        }
        String token = section.get("aws_session_token");
        return checked(file, "profile " + Printable.of(profile) + " of " + file, id.strip(), secret.strip(),
                Optional.ofNullable(token).map(String::strip).filter(t -> !t.isEmpty()));
    }

    private static Credentials.FromFile checked(Path file, String source, String id, String secret,
                                                Optional<String> token) {
        if (!id.matches("[A-Z0-9]{16,128}")) {
            throw new InputException("credentials file " + file
                    + ": the access key id is not of the form AKIA... / ASIA... (16 to 128 capital letters and digits)");
        }
        if (!secret.matches("[\\x21-\\x7e]{16,128}") || token.filter(t -> !t.matches("[\\x21-\\x7e]+")).isPresent()) {
            throw new InputException("credentials file " + file
                    + ": the secret key or session token holds spaces or characters no AWS secret has");
        }
        return new Credentials.FromFile(source, new AccessKeys(id, secret, token));
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static Optional<String> permissionWarning(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                return Optional.of("credentials file " + file + " is readable by other users; run: chmod 600 "
                        + file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system (or it vanished since reading): nothing to check.
        }
        return Optional.empty();
    }
}
