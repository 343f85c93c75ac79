package io.github.ec2spotter.config;

import io.github.ec2spotter.config.LaunchSettings.InterruptionBehavior;
import io.github.ec2spotter.config.LaunchSettings.RequestType;
import io.github.ec2spotter.text.Printable;
import io.github.ec2spotter.text.Spelling;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns a {@link ConfFile} into {@link LaunchSettings}, checking every value before anything
 * talks to AWS. All problems are reported together, each naming the file, line and key.
 */
public final class SettingsReader {
    /** Every key the tool understands; anything else with the ec2spotter_ prefix is a likely typo. */
    static final Set<String> KNOWN_KEYS = Set.of("volume_name", "launch_zone", "volume_zone", "preboot_image_id",
            "instance_type", "key_name", "subnet", "security_group", "bid_price", "elastic_ip", "instance_name",
            "iam_instance_profile", "root_size_gib", "request_type", "interruption_behavior", "embed_credentials",
            "interruption_hooks", "keep_host_keys", "kernel", "ssh_user", "ssh_key");

    private static final Pattern AMI_ID = resourceId("ami");
    private static final Pattern SUBNET_ID = resourceId("subnet");
    private static final Pattern SECURITY_GROUP_ID = resourceId("sg");
    private static final Pattern ALLOCATION_ID = resourceId("eipalloc");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9-]+");
    private static final Pattern PRICE = Pattern.compile("[0-9]{1,6}(\\.[0-9]{1,8})?");
    /** A login name as useradd takes it by default; anything else would be read by ssh as more than a user. */
    private static final Pattern SSH_USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
    private static final Pattern PROFILE_NAME = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,128}");
    private static final Pattern PROFILE_ARN = Pattern.compile(
            "arn:aws[a-z-]*:iam::[0-9]{12}:instance-profile/(?:[\\x21-\\x7e]*/)?[A-Za-z0-9+=,.@_-]{1,128}");

    private final ConfFile conf;
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private SettingsReader(ConfFile conf) {
        this.conf = conf;
    }

    /** A validated result plus the warnings the user should see. */
    public record Result(LaunchSettings settings, List<String> warnings) {
    }

    public static Result read(ConfFile conf) {
        return new SettingsReader(conf).read();
    }

    private Result read() {
        warnings.addAll(conf.warnings());
        List<String> unknown = unknownKeys();
        warnings.addAll(unknown);
        String volumeName = required("volume_name", "the Name tag of your persistent root volume", SettingsReader::isName,
                "a name of 1 to 255 characters without control or invisible characters");
        String launchZone = required("launch_zone", "the availability zone to launch in, e.g. us-east-1d",
                z -> Zones.problem(z).isEmpty(), z -> Zones.problem(z).orElse(""));
        String volumeZone = optional("volume_zone", z -> Zones.problem(z).isEmpty(), z -> Zones.problem(z).orElse(""))
                .orElse(launchZone);
        String image = required("preboot_image_id", "the stock AMI used as pre-boot system, e.g. ami-0abcdef1234567890",
                AMI_ID.asMatchPredicate(), "an AMI id such as ami-0abcdef1234567890");
        String instanceType = required("instance_type", "the instance type, e.g. g4dn.xlarge",
                SettingsReader::isInstanceType, "an instance type such as g4dn.xlarge");
        Optional<String> keyName = optional("key_name", SettingsReader::isName,
                "a key pair name of 1 to 255 characters without control or invisible characters");
        Optional<String> subnet = optional("subnet", SUBNET_ID.asMatchPredicate(), "a subnet id such as subnet-0abc1234");
        List<String> groups = optional("security_group",
                v -> Arrays.stream(v.split(",", -1)).allMatch(SECURITY_GROUP_ID.asMatchPredicate()),
                "one or more security group ids separated by commas, such as sg-0abc1234")
                .map(v -> List.of(v.split(","))).orElse(List.of());
        Optional<BigDecimal> price = optional("bid_price",
                v -> PRICE.matcher(v).matches() && new BigDecimal(v).signum() > 0,
                "a positive price in US dollars per hour, such as 0.25").map(BigDecimal::new);
        Optional<String> elasticIp = optional("elastic_ip", ALLOCATION_ID.asMatchPredicate(),
                "an Elastic IP allocation id such as eipalloc-0abc1234");
        Optional<String> instanceName = optional("instance_name", SettingsReader::isName,
                "a name of 1 to 255 characters without control or invisible characters");
        Optional<String> profile = optional("iam_instance_profile",
                v -> PROFILE_NAME.matcher(v).matches() || PROFILE_ARN.matcher(v).matches(),
                "an instance profile name or ARN");
        Optional<Integer> rootSize = optional("root_size_gib", v -> v.matches("[0-9]{1,5}") && Integer.parseInt(v) >= 1
                && Integer.parseInt(v) <= 16384, "a whole number of GiB from 1 to 16384")
                .map(Integer::parseInt);
        RequestType requestType = optional("request_type", v -> v.equals("persistent") || v.equals("one-time"),
                "persistent or one-time")
                .map(v -> v.equals("persistent") ? RequestType.PERSISTENT : RequestType.ONE_TIME)
                .orElse(RequestType.PERSISTENT);
        InterruptionBehavior behavior = optional("interruption_behavior",
                v -> Set.of("terminate", "stop", "hibernate").contains(v), "terminate, stop or hibernate")
                .map(v -> InterruptionBehavior.valueOf(v.toUpperCase(Locale.ROOT)))
                .orElse(InterruptionBehavior.TERMINATE);
        boolean embed = optional("embed_credentials", v -> v.equals("yes") || v.equals("no"), "yes or no")
                .map("yes"::equals).orElse(false);
        boolean hooks = optional("interruption_hooks", v -> v.equals("yes") || v.equals("no"), "yes or no")
                .map("yes"::equals).orElse(true);
        boolean keepHostKeys = optional("keep_host_keys", v -> v.equals("yes") || v.equals("no"), "yes or no")
                .map("yes"::equals).orElse(true);
        LaunchSettings.Kernel kernel = optional("kernel", v -> Set.of("auto", "volume", "ami").contains(v),
                "auto, volume or ami")
                .map(v -> LaunchSettings.Kernel.valueOf(v.toUpperCase(Locale.ROOT)))
                .orElse(LaunchSettings.Kernel.AUTO);
        Optional<String> sshUser = optional("ssh_user", SettingsReader::isSshUser, SSH_USER_EXPECTED);
        Optional<String> sshKey = optional("ssh_key", v -> Printable.isPlain(v) && !v.isBlank() && v.length() <= 4096,
                "the path of an ssh private key file, without control or invisible characters");

        if (behavior != InterruptionBehavior.TERMINATE && requestType != RequestType.PERSISTENT) {
            ConfFile.Entry e = conf.get("interruption_behavior").orElseThrow();
            errors.add(where(e) + ": ec2spotter_interruption_behavior: " + behavior.word()
                    + " needs ec2spotter_request_type=persistent (EC2 can only stop or hibernate a persistent request's instance)");
        }
        if (!errors.isEmpty()) {
            // A mistyped key is most often the cause of a "missing" one: both in the same run.
            List<String> all = new ArrayList<>(errors);
            all.addAll(unknown);
            throw new InputException(String.join("\n", all));
        }
        LaunchSettings settings = new LaunchSettings(conf.path(), volumeName, launchZone, volumeZone, image,
                instanceType, keyName, subnet, groups, price, elasticIp, instanceName, profile, rootSize, requestType,
                behavior, embed, hooks, keepHostKeys, kernel, sshUser, sshKey);
        return new Result(settings, List.copyOf(warnings));
    }

    /** A line per unknown ec2spotter_ key, with the known key it most likely means. */
    private List<String> unknownKeys() {
        List<String> lines = new ArrayList<>();
        for (ConfFile.Entry e : conf.entries()) {
            if (!KNOWN_KEYS.contains(e.key())) {
                lines.add(where(e) + ": " + ConfFile.PREFIX + Printable.of(e.key()) + " is not a known setting; ignored"
                        + Spelling.closest(e.key(), KNOWN_KEYS).map(k -> " (did you mean " + ConfFile.PREFIX + k + "?)")
                        .orElse(" (known: " + String.join(", ", sorted(KNOWN_KEYS)) + ")"));
            }
        }
        return lines;
    }

    /** What an ssh user must look like, for the conf key and {@code ssh --user}. */
    public static final String SSH_USER_EXPECTED =
            "a user name such as ubuntu: lower-case letters, digits, _ . - (not first: digit, . or -)";

    /** Checks a user name given on the command line with the same rule as the conf key. */
    public static boolean isSshUser(String value) {
        return SSH_USER.matcher(value).matches();
    }

    /** Checks an instance type given on the command line with the same rule as the conf key. */
    public static boolean isInstanceType(String value) {
        return INSTANCE_TYPE.matcher(value).matches() && value.length() <= 64;
    }

    private String required(String key, String meaning, Predicate<String> valid, String expected) {
        return required(key, meaning, valid, v -> "expected " + expected);
    }

    /** {@code problem} says what is wrong with a value {@code valid} refused. */
    private String required(String key, String meaning, Predicate<String> valid, Function<String, String> problem) {
        Optional<String> value = optional(key, valid, problem);
        if (value.isEmpty() && conf.get(key).isEmpty()) {
            errors.add(conf.line(key).map(e -> where(e) + ": ec2spotter_" + key + " is empty")
                    .orElse(conf.path() + ": ec2spotter_" + key + " is missing") + "; set it to " + meaning);
        }
        return value.orElse(null);
    }

    private Optional<String> optional(String key, Predicate<String> valid, String expected) {
        return optional(key, valid, v -> "expected " + expected);
    }

    private Optional<String> optional(String key, Predicate<String> valid, Function<String, String> problem) {
        Optional<ConfFile.Entry> entry = conf.get(key);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        ConfFile.Entry e = entry.get();
        if (!valid.test(e.value())) {
            errors.add(where(e) + ": ec2spotter_" + key + ": '" + Printable.of(abbreviate(e.value()))
                    + "' is not valid; " + Printable.of(problem.apply(e.value())));
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    private String where(ConfFile.Entry e) {
        return conf.path() + ":" + e.line();
    }

    private static boolean isName(String value) {
        // Printable.isPlain: a name shown on a terminal or in the printed boot script must look like what it is.
        return value.length() <= 255 && Printable.isPlain(value) && !value.isBlank();
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }

    private static Pattern resourceId(String prefix) {
        return Pattern.compile(prefix + "-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }
}
