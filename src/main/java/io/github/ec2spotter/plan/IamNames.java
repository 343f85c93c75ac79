package io.github.ec2spotter.plan;

import io.github.ec2spotter.config.InputException;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.text.Printable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code setup} calls the boot script's IAM objects. The role and the instance profile share
 * one name: the conf's {@code ec2spotter_iam_instance_profile} when it sets one (a name, or an
 * ARN whose path and account are kept), else {@code ec2spotter-<volume Name tag>}, made of the
 * characters IAM allows in a name.
 */
public final class IamNames {
    /** The inline policy's name on the role. */
    public static final String POLICY = "ec2spotter-boot-script";
    static final String PREFIX = "ec2spotter-";
    /** IAM's limit for a role name; an instance profile's is 128. */
    static final int ROLE_NAME_MAX = 64;
    private static final Pattern NAME_CHARACTER = Pattern.compile("[A-Za-z0-9+=,.@_-]");
    private static final Pattern PROFILE_ARN = Pattern.compile(
            "arn:([a-z-]+):iam::([0-9]{12}):instance-profile(/(?:.*/)?)([^/]+)");
    private static final Pattern ROLE_OR_USER_ARN = Pattern.compile("arn:([a-z-]+):(?:iam|sts)::([0-9]{12}):.*");
    /** Hex digits of the name's hash a changed or shortened name gets, so that two volumes never share a role. */
    private static final int HASH_DIGITS = 8;

    /**
     * The names, the IAM path ({@code /} unless a conf ARN gives one), whether they come from the
     * conf, and the account a conf ARN names.
     */
    public record Names(String role, String profile, String path, boolean fromConf, Optional<String> confAccount) {
    }

    /** The partition and account an IAM or STS ARN belongs to. */
    public record Owner(String partition, String account) {
    }

    private IamNames() {
    }

    public static Names of(LaunchSettings settings) {
        Optional<String> configured = settings.iamInstanceProfile();
        if (configured.isEmpty()) {
            String name = fromVolumeName(settings.volumeName());
            return new Names(name, name, "/", false, Optional.empty());
        }
        String value = configured.get();
        Matcher arn = PROFILE_ARN.matcher(value);
        String name = arn.matches() ? arn.group(4) : value;
        if (name.length() > ROLE_NAME_MAX) {
            throw new InputException(settings.confFile() + ": ec2spotter_iam_instance_profile=" + Printable.of(value)
                    + ": setup gives the role the profile's name, and IAM allows at most " + ROLE_NAME_MAX
                    + " characters in a role name; choose a shorter name, or make the role and profile yourself");
        }
        return arn.matches() ? new Names(name, name, arn.group(3), true, Optional.of(arn.group(2)))
                : new Names(name, name, "/", true, Optional.empty());
    }

    /**
     * {@code ec2spotter-} and the volume name, when the name is all IAM name characters and short
     * enough; otherwise each other character becomes {@code -}, the result is cut to fit, and
     * {@code -} plus 8 hex digits of the volume name's SHA-256 follow ({@code my vol} and
     * {@code my/vol} must not share a role: the role's policy is scoped to one of them).
     */
    static String fromVolumeName(String volumeName) {
        StringBuilder safe = new StringBuilder();
        volumeName.codePoints().forEach(c -> safe.append(
                c < 128 && NAME_CHARACTER.matcher(String.valueOf((char) c)).matches() ? (char) c : '-'));
        String plain = PREFIX + safe;
        if (safe.toString().equals(volumeName) && plain.length() <= ROLE_NAME_MAX) {
            return plain;
        }
        String suffix = "-" + sha256Hex(volumeName).substring(0, HASH_DIGITS);
        return plain.substring(0, Math.min(plain.length(), ROLE_NAME_MAX - suffix.length())) + suffix;
    }

    /** The instance profile's ARN: the conf's own when it gave one, else built from the owner's account. */
    public static String profileArn(Names names, Owner owner) {
        return "arn:" + owner.partition() + ":iam::" + owner.account() + ":instance-profile" + names.path()
                + names.profile();
    }

    /** The owner of an IAM role or user ARN (or an STS assumed-role ARN); empty for anything else. */
    public static Optional<Owner> ownerOf(String arn) {
        Matcher m = ROLE_OR_USER_ARN.matcher(arn);
        return m.matches() ? Optional.of(new Owner(m.group(1), m.group(2))) : Optional.empty();
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
