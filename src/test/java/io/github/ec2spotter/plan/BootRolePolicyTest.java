package io.github.ec2spotter.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;

class BootRolePolicyTest {
    private static final String PROFILE = "arn:aws:iam::210987654321:instance-profile/ec2spotter-spotter";

    private static BootRolePolicy.Scope scope(String volume, Optional<String> elasticIp, boolean instanceName) {
        return new BootRolePolicy.Scope("aws", "210987654321", "eu-west-2", volume, PROFILE, elasticIp, instanceName);
    }

    @Test
    void theTrustPolicyLetsEc2AssumeTheRoleAndNothingElse() {
        Map<String, JsonNode> doc = parse(BootRolePolicy.trustPolicy());
        assertEquals("2012-10-17", doc.get("Version").asString());
        List<JsonNode> statements = doc.get("Statement").asArray();
        assertEquals(1, statements.size());
        Map<String, JsonNode> s = statements.get(0).asObject();
        assertEquals("Allow", s.get("Effect").asString());
        assertEquals("sts:AssumeRole", s.get("Action").asString());
        assertEquals(Map.of("Service", "ec2.amazonaws.com"), Map.of("Service",
                s.get("Principal").asObject().get("Service").asString()));
        assertEquals(1, s.get("Principal").asObject().size());
        assertTrue(BootRolePolicy.trustsEc2(BootRolePolicy.trustPolicy()));
    }

    @Test
    void withoutElasticIpOrInstanceNameThePolicyAllowsOnlyTheFourBootCalls() {
        Map<String, JsonNode> doc = parse(BootRolePolicy.inlinePolicy(scope("spotter", Optional.empty(), false)));
        List<JsonNode> statements = doc.get("Statement").asArray();
        assertEquals(List.of("FindTheVolume", "AttachOnlyTheNamedVolume", "AttachOnlyToInstancesOfThisProfile",
                "TagOnlyInstancesOfThisProfileWithTheBootTags"), field(statements, "Sid"));
        assertEquals(List.of("ec2:DescribeVolumes", "ec2:AttachVolume", "ec2:AttachVolume", "ec2:CreateTags"),
                field(statements, "Action"), "no AssociateAddress anywhere");
        assertEquals("*", statements.get(0).asObject().get("Resource").asString());
        assertFalse(statements.get(0).asObject().containsKey("Condition"));
        Map<String, JsonNode> volume = statements.get(1).asObject();
        assertEquals("arn:aws:ec2:eu-west-2:210987654321:volume/*", volume.get("Resource").asString());
        assertEquals("spotter", volume.get("Condition").asObject().get("StringEquals").asObject()
                .get("aws:ResourceTag/Name").asString());
        Map<String, JsonNode> instance = statements.get(2).asObject();
        assertEquals("arn:aws:ec2:eu-west-2:210987654321:instance/*", instance.get("Resource").asString());
        assertEquals(PROFILE, instance.get("Condition").asObject().get("ArnEquals").asObject()
                .get("ec2:InstanceProfile").asString());
        Map<String, JsonNode> tags = statements.get(3).asObject().get("Condition").asObject();
        assertEquals(PROFILE, tags.get("ArnEquals").asObject().get("ec2:InstanceProfile").asString());
        assertEquals(List.of("ec2spotter:boot", "ec2spotter:boot-reason"), tags.get("ForAllValues:StringEquals")
                .asObject().get("aws:TagKeys").asArray().stream().map(JsonNode::asString).toList());
    }

    @Test
    void anInstanceNameAddsTheNameTagKey() {
        List<JsonNode> statements = parse(BootRolePolicy.inlinePolicy(scope("spotter", Optional.empty(), true)))
                .get("Statement").asArray();
        assertEquals(List.of("Name", "ec2spotter:boot", "ec2spotter:boot-reason"), statements.get(3).asObject()
                .get("Condition").asObject().get("ForAllValues:StringEquals").asObject().get("aws:TagKeys").asArray()
                .stream().map(JsonNode::asString).toList());
    }

    @Test
    void anElasticIpAddsAssociateAddressForThatAllocationOnly() {
        List<JsonNode> statements = parse(BootRolePolicy.inlinePolicy(scope("spotter",
                Optional.of("eipalloc-0123456789abcdef0"), false))).get("Statement").asArray();
        assertEquals(5, statements.size());
        assertEquals(List.of("ec2:AttachVolume", "ec2:AssociateAddress"), statements.get(2).asObject().get("Action")
                .asArray().stream().map(JsonNode::asString).toList());
        Map<String, JsonNode> eip = statements.get(4).asObject();
        assertEquals("OnlyWithElasticIp", eip.get("Sid").asString());
        assertEquals("ec2:AssociateAddress", eip.get("Action").asString());
        assertEquals(List.of("arn:aws:ec2:eu-west-2:210987654321:elastic-ip/eipalloc-0123456789abcdef0",
                "arn:aws:ec2:eu-west-2:210987654321:network-interface/*"), eip.get("Resource").asArray().stream()
                .map(JsonNode::asString).toList());
    }

    @Test
    void thePartitionRegionAndAccountScopeEveryResource() {
        String doc = BootRolePolicy.inlinePolicy(new BootRolePolicy.Scope("aws-cn", "111122223333", "cn-north-1",
                "box", "arn:aws-cn:iam::111122223333:instance-profile/p", Optional.of("eipalloc-0abc1234"), false));
        for (String resource : List.of("arn:aws-cn:ec2:cn-north-1:111122223333:volume/*",
                "arn:aws-cn:ec2:cn-north-1:111122223333:instance/*",
                "arn:aws-cn:ec2:cn-north-1:111122223333:elastic-ip/eipalloc-0abc1234")) {
            assertTrue(doc.contains("\"" + resource + "\""), resource + " missing from " + doc);
        }
        assertFalse(doc.contains("arn:aws:"), doc);
    }

    @Test
    void aVolumeNameIsMatchedLiterallyEvenWithQuotesAndPolicyVariables() {
        String name = "my \"box\" ${aws:username} \\ $";
        Map<String, JsonNode> doc = parse(BootRolePolicy.inlinePolicy(scope(name, Optional.empty(), false)));
        assertEquals("my \"box\" ${$}{aws:username} \\ ${$}", doc.get("Statement").asArray().get(1).asObject()
                .get("Condition").asObject().get("StringEquals").asObject().get("aws:ResourceTag/Name").asString());
    }

    @Test
    void documentsCompareWithoutTheirLayout() {
        String pretty = BootRolePolicy.inlinePolicy(scope("a b", Optional.empty(), false));
        String compact = io.github.ec2spotter.text.Json.write(JsonNodeParser.create().parse(pretty).visit(new Plain()));
        assertTrue(BootRolePolicy.same(pretty, compact), compact);
        assertFalse(BootRolePolicy.same(pretty, pretty.replace("\"a b\"", "\"ab\"")), "blanks inside strings count");
        assertFalse(BootRolePolicy.same(pretty, BootRolePolicy.inlinePolicy(scope("a b", Optional.empty(), true))));
        assertFalse(BootRolePolicy.trustsEc2("{\"Statement\":[{\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
                + "\"Action\":\"sts:AssumeRole\"}]}"));
    }

    /** SECURITY.md shows the policy setup makes: its example is this class's document for the example's values. */
    @Test
    void securityMdShowsThePolicySetupMakes() throws java.io.IOException {
        String page = java.nio.file.Files.readString(java.nio.file.Path.of("SECURITY.md"));
        int heading = page.indexOf("**The instance profile's role (the boot script)**");
        assertTrue(heading >= 0, "SECURITY.md has no section on the instance profile's role");
        int start = page.indexOf("```json\n", heading) + "```json\n".length();
        String example = page.substring(start, page.indexOf("```", start));
        String made = BootRolePolicy.inlinePolicy(new BootRolePolicy.Scope("aws", "123456789012", "us-east-1", "spotter",
                "arn:aws:iam::123456789012:instance-profile/spotter-role", Optional.of("eipalloc-0123456789abcdef0"), true));
        assertEquals(JsonNodeParser.create().parse(made), JsonNodeParser.create().parse(example));
    }

    private static Map<String, JsonNode> parse(String json) {
        return JsonNodeParser.create().parse(json).asObject();
    }

    private static List<String> field(List<JsonNode> statements, String name) {
        return statements.stream().map(s -> s.asObject().get(name)).map(n -> n.isArray()
                ? n.asArray().get(0).asString() : n.asString()).toList();
    }

    /** A parsed document back as maps, lists and strings, for Json.write. */
    private static final class Plain implements software.amazon.awssdk.protocols.jsoncore.JsonNodeVisitor<Object> {
        @Override public Object visitNull() { return null; }
        @Override public Object visitBoolean(boolean b) { return b; }
        @Override public Object visitNumber(String n) { return new java.math.BigDecimal(n); }
        @Override public Object visitString(String s) { return s; }
        @Override public Object visitArray(List<JsonNode> a) { return a.stream().map(n -> n.visit(this)).toList(); }
        @Override public Object visitObject(Map<String, JsonNode> o) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            o.forEach((k, v) -> m.put(k, v.visit(this)));
            return m;
        }
        @Override public Object visitEmbeddedObject(Object o) { return o; }
    }
}
