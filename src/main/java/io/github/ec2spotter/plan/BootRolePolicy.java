package io.github.ec2spotter.plan;

import io.github.ec2spotter.model.Tags;
import io.github.ec2spotter.text.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two policy documents of the boot script's role, as SECURITY.md describes them: the trust
 * policy that lets EC2 hand the role to an instance, and the least-privilege inline policy that
 * allows exactly the calls the boot script makes (the README's "IAM permissions" list), scoped to
 * the conf's volume Name tag, its launch region, the account and the instance profile.
 */
public final class BootRolePolicy {
    /** IAM's current policy language; policy variables such as {@code ${aws:username}} need it. */
    static final String VERSION = "2012-10-17";
    static final String EC2_SERVICE = "ec2.amazonaws.com";

    private BootRolePolicy() {
    }

    /**
     * Where the inline policy applies: the partition ({@code aws}, {@code aws-cn}, ...), the
     * account, the region the instance runs in, the volume's Name tag, the instance profile's ARN,
     * the Elastic IP the boot script associates (if any) and whether it tags the instance's Name.
     */
    public record Scope(String partition, String account, String region, String volumeName, String instanceProfileArn,
                        Optional<String> elasticIp, boolean tagsInstanceName) {
    }

    /** Lets EC2 assume the role for an instance that carries its instance profile. */
    public static String trustPolicy() {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", "Ec2MayHandTheRoleToAnInstance");
        statement.put("Effect", "Allow");
        statement.put("Principal", Map.of("Service", EC2_SERVICE));
        statement.put("Action", "sts:AssumeRole");
        return document(List.of(statement));
    }

    /** The inline policy: DescribeVolumes, AttachVolume, CreateTags, and AssociateAddress with an Elastic IP. */
    public static String inlinePolicy(Scope scope) {
        String ec2 = "arn:" + scope.partition() + ":ec2:" + scope.region() + ":" + scope.account() + ":";
        Map<String, Object> ofThisProfile = Map.of("ec2:InstanceProfile", scope.instanceProfileArn());
        List<Map<String, Object>> statements = new ArrayList<>();
        // Describe* calls support no resource-level permissions.
        statements.add(statement("FindTheVolume", "ec2:DescribeVolumes", "*", Map.of()));
        statements.add(statement("AttachOnlyTheNamedVolume", "ec2:AttachVolume", ec2 + "volume/*",
                Map.of("StringEquals", Map.of("aws:ResourceTag/" + Tags.NAME, literal(scope.volumeName())))));
        statements.add(statement("AttachOnlyToInstancesOfThisProfile", scope.elasticIp().isPresent()
                        ? List.of("ec2:AttachVolume", "ec2:AssociateAddress") : "ec2:AttachVolume",
                ec2 + "instance/*", Map.of("ArnEquals", ofThisProfile)));
        List<String> tagKeys = new ArrayList<>();
        if (scope.tagsInstanceName()) {
            tagKeys.add(Tags.NAME);
        }
        tagKeys.addAll(List.of(Tags.BOOT, Tags.BOOT_REASON));
        Map<String, Object> tagging = new LinkedHashMap<>();
        tagging.put("ArnEquals", ofThisProfile);
        tagging.put("ForAllValues:StringEquals", Map.of("aws:TagKeys", tagKeys));
        statements.add(statement("TagOnlyInstancesOfThisProfileWithTheBootTags", "ec2:CreateTags", ec2 + "instance/*",
                tagging));
        scope.elasticIp().ifPresent(allocation -> statements.add(statement("OnlyWithElasticIp", "ec2:AssociateAddress",
                List.of(ec2 + "elastic-ip/" + allocation, ec2 + "network-interface/*"), Map.of())));
        return document(statements);
    }

    /**
     * Whether two policy documents say the same, blanks between JSON tokens aside: IAM may hand a
     * document back laid out otherwise than it was sent.
     */
    public static boolean same(String a, String b) {
        return withoutBlanks(a).equals(withoutBlanks(b));
    }

    /** Whether a role's trust policy lets EC2 assume it, as far as its text tells. */
    public static boolean trustsEc2(String trustPolicy) {
        String compact = withoutBlanks(trustPolicy);
        return compact.contains("\"" + EC2_SERVICE + "\"") && compact.contains("sts:AssumeRole");
    }

    /**
     * A condition value that IAM reads literally: in a policy of version 2012-10-17, {@code ${...}}
     * is a policy variable, and {@code ${$}} is IAM's way of writing a plain {@code $}. A volume
     * named {@code a${aws:username}} must match that name, not the caller's user name.
     */
    static String literal(String value) {
        return value.replace("$", "${$}");
    }

    private static Map<String, Object> statement(String sid, Object action, Object resource,
                                                 Map<String, Object> condition) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", sid);
        statement.put("Effect", "Allow");
        statement.put("Action", action);
        statement.put("Resource", resource);
        if (!condition.isEmpty()) {
            statement.put("Condition", condition);
        }
        return statement;
    }

    private static String document(List<Map<String, Object>> statements) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Version", VERSION);
        doc.put("Statement", statements);
        return Json.pretty(doc);
    }

    /** JSON text without the blanks between its tokens; strings are kept as they are. */
    private static String withoutBlanks(String json) {
        StringBuilder out = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < json.length()) {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (!Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
