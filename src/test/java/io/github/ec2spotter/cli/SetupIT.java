package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.testing.FaultProxy;
import io.github.ec2spotter.testing.Jar;
import io.github.ec2spotter.testing.Moto;
import io.github.ec2spotter.testing.MotoTest;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * {@code setup} as the jar, against moto's IAM (the same moto_server as EC2, reached through
 * {@code AWS_ENDPOINT_URL_IAM}); what it made is read back with the SDK's IAM client.
 */
class SetupIT extends MotoTest {
    private static final String ACCOUNT = "123456789012";
    private static final String POLICY = "ec2spotter-boot-script";
    /** The calls that change IAM; a dry run or a second run sends none. */
    private static final Set<String> CHANGES = Set.of("CreateRole", "PutRolePolicy", "CreateInstanceProfile",
            "AddRoleToInstanceProfile", "UpdateAssumeRolePolicy", "DeleteRolePolicy");
    private static final String CONF = """
            # my spot box
            ec2spotter_volume_name=spotter
            ec2spotter_launch_zone=us-east-1a
            ec2spotter_preboot_image_id='ami-0123456789abcdef0'   # Ubuntu 22.04
            ec2spotter_instance_type=t3.micro
            """;

    Jar jar;
    IamClient iam;

    @BeforeEach
    void prepare() throws IOException {
        jar = Jar.built(dir).env("AWS_ENDPOINT_URL_IAM", moto.endpoint()).env("AWS_ENDPOINT_URL_EC2", moto.endpoint());
        iam = IamClient.builder()
                .endpointOverride(URI.create(moto.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(Moto.ACCESS_KEY_ID, Moto.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        moto.clearRecording();
    }

    @AfterEach
    void closeIam() {
        iam.close();
    }

    @Test
    void theFirstRunMakesRolePolicyAndProfileAndAppendsTheProfileToTheConf() throws Exception {
        Path conf = conf(CONF + "ec2spotter_instance_name=gpu-box\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r-----"));
        byte[] before = Files.readAllBytes(conf);

        Jar.Result r = jar.run("setup", conf.toString(), motoCreds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        String name = "ec2spotter-spotter";
        assertTrue(r.stdout().contains("Created role " + name + " (arn:aws:iam::" + ACCOUNT + ":role/" + name + ")"),
                r::toString);
        assertTrue(r.stdout().contains("Put inline policy " + POLICY + " on role " + name), r::toString);
        assertTrue(r.stdout().contains("Created instance profile " + name), r::toString);
        assertTrue(r.stdout().contains("Added ec2spotter_iam_instance_profile=" + name + " to " + conf), r::toString);

        Role role = iam.getRole(g -> g.roleName(name)).role();
        Map<String, JsonNode> trust = statement(json(role.assumeRolePolicyDocument()), 0);
        assertEquals("ec2.amazonaws.com", trust.get("Principal").asObject().get("Service").asString());
        assertEquals("sts:AssumeRole", trust.get("Action").asString());

        JsonNode policy = json(iam.getRolePolicy(g -> g.roleName(name).policyName(POLICY)).policyDocument());
        assertEquals(List.of("FindTheVolume", "AttachOnlyTheNamedVolume", "AttachOnlyToInstancesOfThisProfile",
                "TagOnlyInstancesOfThisProfileWithTheBootTags"), sids(policy), "no Elastic IP: no OnlyWithElasticIp");
        Map<String, JsonNode> attach = statement(policy, 1);
        assertEquals("arn:aws:ec2:us-east-1:" + ACCOUNT + ":volume/*", attach.get("Resource").asString());
        assertEquals("spotter", attach.get("Condition").asObject().get("StringEquals").asObject()
                .get("aws:ResourceTag/Name").asString());
        assertEquals("ec2:AttachVolume", statement(policy, 2).get("Action").asString());
        Map<String, JsonNode> tagging = statement(policy, 3).get("Condition").asObject();
        assertEquals("arn:aws:iam::" + ACCOUNT + ":instance-profile/" + name, tagging.get("ArnEquals").asObject()
                .get("ec2:InstanceProfile").asString());
        assertEquals(List.of("Name", "ec2spotter:boot", "ec2spotter:boot-reason"), tagging
                .get("ForAllValues:StringEquals").asObject().get("aws:TagKeys").asArray().stream()
                .map(JsonNode::asString).toList());

        InstanceProfile profile = iam.getInstanceProfile(g -> g.instanceProfileName(name)).instanceProfile();
        assertEquals(List.of(name), profile.roles().stream().map(Role::roleName).toList());

        String added = "# The boot script's instance profile, made by ec2spotter setup\n"
                + "ec2spotter_iam_instance_profile=" + name + "\n";
        assertEquals(new String(before, StandardCharsets.UTF_8) + added, Files.readString(conf));
        assertArrayEquals(before, Arrays.copyOf(Files.readAllBytes(conf), before.length));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)));
        assertEquals(List.of("spotter.conf"), confFiles(), "no temporary file left beside the conf");

        // The conf as setup left it reads as a conf, with the profile in it.
        Jar.Result userData = jar.run("user-data", conf.toString());
        assertEquals(0, userData.exitCode(), userData::toString);
    }

    @Test
    void aSecondRunChangesNothingAndSaysEachThingExists() throws Exception {
        Path conf = conf(CONF + "ec2spotter_elastic_ip=eipalloc-0123456789abcdef0\n");
        Jar.Result first = jar.run("setup", conf.toString(), motoCreds().toString());
        assertEquals(0, first.exitCode(), first::toString);
        byte[] afterFirst = Files.readAllBytes(conf);
        String policyAfterFirst = iam.getRolePolicy(g -> g.roleName("ec2spotter-spotter").policyName(POLICY))
                .policyDocument();
        moto.clearRecording();

        Jar.Result second = jar.run("setup", conf.toString(), motoCreds().toString());

        assertEquals(0, second.exitCode(), second::toString);
        assertEquals("""
                Role ec2spotter-spotter already exists (arn:aws:iam::123456789012:role/ec2spotter-spotter)
                Inline policy ec2spotter-boot-script of role ec2spotter-spotter already exists, as this conf needs it
                Instance profile ec2spotter-spotter already exists, with role ec2spotter-spotter
                %s already names instance profile ec2spotter-spotter; left as it is
                """.formatted(conf), second.stdout());
        assertArrayEquals(afterFirst, Files.readAllBytes(conf));
        assertEquals(List.of(), changesSent());
        assertFalse(moto.calls().isEmpty(), "the control: the recording holds the second run's reads");
        assertEquals(policyAfterFirst, iam.getRolePolicy(g -> g.roleName("ec2spotter-spotter").policyName(POLICY))
                .policyDocument());
        assertEquals(1, iam.listRoles().roles().size());
        assertEquals(1, iam.listInstanceProfiles().instanceProfiles().size());
        JsonNode policy = json(policyAfterFirst);
        assertEquals("OnlyWithElasticIp", statement(policy, 4).get("Sid").asString());
        assertEquals(List.of("ec2:AttachVolume", "ec2:AssociateAddress"), statement(policy, 2).get("Action").asArray()
                .stream().map(JsonNode::asString).toList());
    }

    @Test
    void aDryRunPrintsBothDocumentsAndChangesNothing() throws Exception {
        Path conf = conf(CONF);
        byte[] before = Files.readAllBytes(conf);

        Jar.Result r = jar.run("setup", "--dry-run", "-v", conf.toString(), motoCreds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        // -v's request log names each IAM call; a dry run's are reads only.
        List<String> logged = r.stderr().lines().filter(l -> l.contains("RequestLog: IAM ") && l.endsWith(": sending"))
                .map(l -> l.replaceAll(".*RequestLog: IAM (\\w+): sending", "$1")).toList();
        assertEquals(List.of("GetRole", "GetUser", "GetInstanceProfile"), logged, r::toString);
        assertTrue(r.stdout().contains("Role ec2spotter-spotter: would be created"), r::toString);
        assertTrue(r.stdout().contains("Instance profile ec2spotter-spotter: would be created, with role ec2spotter-spotter"),
                r::toString);
        assertTrue(r.stdout().contains(conf + ": ec2spotter_iam_instance_profile=ec2spotter-spotter would be added"),
                r::toString);
        String trust = document(r.stdout(), "Trust policy of role ec2spotter-spotter:");
        assertEquals("sts:AssumeRole", statement(json(trust), 0).get("Action").asString());
        assertTrue(trust.contains("\n  \"Statement\": [\n"), "pretty-printed: " + trust);
        JsonNode policy = json(document(r.stdout(), "Inline policy " + POLICY + " of role ec2spotter-spotter:"));
        assertEquals("arn:aws:ec2:us-east-1:" + ACCOUNT + ":volume/*", statement(policy, 1).get("Resource").asString(),
                "the account from GetUser");
        assertArrayEquals(before, Files.readAllBytes(conf));
        assertEquals(List.of(), iam.listRoles().roles());
        assertEquals(List.of(), iam.listInstanceProfiles().instanceProfiles());
        assertEquals(List.of(), changesSent());
        assertFalse(moto.calls().isEmpty(), "the control: the recording holds the dry run's reads");
    }

    @Test
    void aConfNamingAProfileGetsThatNameAndIsLeftUntouched() throws Exception {
        Path conf = conf(CONF + "ec2spotter_iam_instance_profile=team-gpu-box");
        byte[] before = Files.readAllBytes(conf);

        Jar.Result r = jar.run("setup", conf.toString(), motoCreds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains(conf + " already names instance profile team-gpu-box; left as it is"), r::toString);
        assertEquals(List.of("team-gpu-box"), iam.getInstanceProfile(g -> g.instanceProfileName("team-gpu-box"))
                .instanceProfile().roles().stream().map(Role::roleName).toList());
        JsonNode policy = json(iam.getRolePolicy(g -> g.roleName("team-gpu-box").policyName(POLICY)).policyDocument());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":instance-profile/team-gpu-box", statement(policy, 2)
                .get("Condition").asObject().get("ArnEquals").asObject().get("ec2:InstanceProfile").asString());
        assertArrayEquals(before, Files.readAllBytes(conf));
        assertEquals(List.of("team-gpu-box"), iam.listRoles().roles().stream().map(Role::roleName).toList(),
                "no role named after the volume");
    }

    @Test
    void aConfWithoutAFinalNewlineGetsTheLinesAfterOneAndStaysWithout() throws Exception {
        String text = CONF.replace("\n", "\r\n").stripTrailing();
        Path conf = conf(text);

        Jar.Result r = jar.run("setup", conf.toString(), motoCreds().toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(text + "\r\n# The boot script's instance profile, made by ec2spotter setup\r\n"
                + "ec2spotter_iam_instance_profile=ec2spotter-spotter", Files.readString(conf));
    }

    @Test
    void aRefusalNamesTheActionTheRoleAndThePermission() throws Exception {
        Path conf = conf(CONF);
        byte[] before = Files.readAllBytes(conf);
        try (FaultProxy proxy = FaultProxy.to(moto.endpoint()).fail("CreateRole", 1, new FaultProxy.IamError(403,
                "AccessDenied", "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:CreateRole"))) {
            Jar.Result r = jar.env("AWS_ENDPOINT_URL_IAM", proxy.endpoint())
                    .run("setup", conf.toString(), motoCreds().toString());

            assertEquals(1, r.exitCode(), r::toString);
            assertEquals("", r.stdout(), r::toString);
            List<String> errors = r.stderr().lines().filter(l -> l.startsWith("error: ")).toList();
            assertEquals(List.of("error: CreateRole of role ec2spotter-spotter failed: AccessDenied: User: "
                    + "arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:CreateRole (the credentials"
                    + " lack the IAM permission iam:CreateRole; SECURITY.md lists what setup needs)"), errors);
            assertFalse(r.stderr().contains("\tat "), "no stack trace without -v: " + r);
            assertEquals(1, proxy.calls("CreateRole"));
        }
        assertArrayEquals(before, Files.readAllBytes(conf));
        assertEquals(List.of(), iam.listInstanceProfiles().instanceProfiles());
    }

    private Path conf(String text) throws IOException {
        return Files.writeString(dir.resolve("spotter.conf"), text);
    }

    private List<String> confFiles() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.contains("spotter.conf")).sorted().toList();
        }
    }

    private List<String> changesSent() throws IOException {
        return moto.calls().stream().map(Moto.Call::action).filter(CHANGES::contains).toList();
    }

    /** The pretty JSON document printed after {@code heading}: from its line to the first line that is "}". */
    private static String document(String stdout, String heading) {
        List<String> lines = stdout.lines().toList();
        int start = lines.indexOf(heading);
        assertTrue(start >= 0, "no line '" + heading + "' in: " + stdout);
        int end = lines.subList(start, lines.size()).indexOf("}") + start;
        return lines.subList(start + 1, end + 1).stream().collect(Collectors.joining("\n"));
    }

    /** A policy document as IAM returns it (URL-encoded) or as printed. */
    private static JsonNode json(String document) {
        String text = document.strip().startsWith("{") ? document : URLDecoder.decode(document, StandardCharsets.UTF_8);
        return JsonNodeParser.create().parse(text);
    }

    private static Map<String, JsonNode> statement(JsonNode policy, int index) {
        return policy.asObject().get("Statement").asArray().get(index).asObject();
    }

    private static List<String> sids(JsonNode policy) {
        return policy.asObject().get("Statement").asArray().stream().map(s -> s.asObject().get("Sid").asString()).toList();
    }
}
