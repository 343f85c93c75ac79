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
        Path home = Path.of(Optional.ofNullable(env.get("HOME")).filter(h -> !h.isBlank())
                .orElse(System.getProperty("user.home")));
        Path credentials = Optional.ofNullable(env.get("AWS_SHARED_CREDENTIALS_FILE")).filter(f -> !f.isBlank())
                .map(Path::of).orElse(home.resolve(".aws/credentials"));
        Path config = Optional.ofNullable(env.get("AWS_CONFIG_FILE")).filter(f -> !f.isBlank())
                .map(Path::of).orElse(home.resolve(".aws/config"));
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
