package io.github.ec2spotter.config;

import io.github.ec2spotter.text.Printable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The AWS CLI's shared files, read only to check that a {@code --profile} given without a CREDS
 * file exists: the SDK's own failure ("no credentials found ... set a profile") tells a user who
 * did set one nothing. Where the files are follows the SDK: {@code AWS_SHARED_CREDENTIALS_FILE}
 * and {@code AWS_CONFIG_FILE}, else {@code ~/.aws/credentials} and {@code ~/.aws/config}.
 */
public final class ProfileFiles {
    private ProfileFiles() {
    }

    /** The error for a profile that neither file has, empty when one of them has it. */
    public static Optional<String> missing(String profile, Map<String, String> env) {
        Path credentials = credentialsFile(env);
        Path config = configFile(env);
        Set<String> found = new LinkedHashSet<>();
        List<String> searched = new ArrayList<>();
        searched.add(describe(credentials, sections(credentials, found, false)));
        searched.add(describe(config, sections(config, found, true)));
        if (found.contains(profile)) {
            return Optional.empty();
        }
        return Optional.of("--profile " + Printable.of(profile) + ": no such profile in " + String.join(" or ", searched)
                + (found.isEmpty() ? "" : "; profiles there: " + Printable.of(String.join(", ", found)))
                + ". Give the profile's credentials file as second argument, or a profile these files have");
    }

    /**
     * Where the SDK's default chain will take the keys from, in the chain's order (environment, web
     * identity, the profile in the shared files, then a container or instance role), for {@code -v}:
     * "profile work from /home/me/.aws/credentials". {@code profile} is {@code --profile}.
     */
    public static String chainSource(Optional<String> profile, Map<String, String> env) {
        Optional<String> envKey = Optional.ofNullable(env.get("AWS_ACCESS_KEY_ID")).filter(k -> !k.isBlank());
        if (envKey.isPresent()) {
            return "the environment (AWS_ACCESS_KEY_ID " + Printable.of(envKey.get()) + ")"
                    + profile.map(p -> ", which the default chain takes before --profile " + Printable.of(p)).orElse("");
        }
        if (Optional.ofNullable(env.get("AWS_WEB_IDENTITY_TOKEN_FILE")).filter(f -> !f.isBlank()).isPresent()) {
            return "a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)";
        }
        Optional<String> fromEnv = Optional.ofNullable(env.get("AWS_PROFILE")).filter(p -> !p.isBlank());
        String name = profile.or(() -> fromEnv).orElse("default");
        String how = profile.isPresent() ? "" : fromEnv.isPresent() ? " (AWS_PROFILE)" : "";
        for (Path file : List.of(credentialsFile(env), configFile(env))) {
            Set<String> found = new LinkedHashSet<>();
            if (sections(file, found, file.equals(configFile(env))) && found.contains(name)) {
                return "profile " + Printable.of(name) + how + " from " + file;
            }
        }
        return "a container or instance role, if any (no keys in the environment, no profile " + Printable.of(name)
                + " in " + credentialsFile(env) + " or " + configFile(env) + ")";
    }

    private static Path credentialsFile(Map<String, String> env) {
        return Optional.ofNullable(env.get("AWS_SHARED_CREDENTIALS_FILE")).filter(f -> !f.isBlank())
                .map(Path::of).orElse(home(env).resolve(".aws/credentials"));
    }

    private static Path configFile(Map<String, String> env) {
        return Optional.ofNullable(env.get("AWS_CONFIG_FILE")).filter(f -> !f.isBlank())
                .map(Path::of).orElse(home(env).resolve(".aws/config"));
    }

    private static Path home(Map<String, String> env) {
        return Path.of(Optional.ofNullable(env.get("HOME")).filter(h -> !h.isBlank())
                .orElse(System.getProperty("user.home")));
    }

    private static String describe(Path file, boolean exists) {
        return file + (exists ? "" : " (no such file)");
    }

    /**
     * Adds the profile names {@code file} defines to {@code found}: {@code [name]} in the credentials
     * file, {@code [profile name]} or {@code [default]} in the config file. False when it cannot be read.
     */
    private static boolean sections(Path file, Set<String> found, boolean config) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        for (String line : lines) {
            String l = line.strip();
            if (l.startsWith("[") && l.endsWith("]")) {
                String name = l.substring(1, l.length() - 1).strip();
                if (!config) {
                    found.add(name);
                } else if (name.equals("default")) {
                    found.add(name);
                } else if (name.startsWith("profile ")) {
                    found.add(name.substring("profile ".length()).strip());
                }
            }
        }
        return true;
    }
}
