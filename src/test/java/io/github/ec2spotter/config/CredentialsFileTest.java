package io.github.ec2spotter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both credentials formats the README promises; errors say where, never what a secret is. */
class CredentialsFileTest {
    private static final String ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=";

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void privateFile() {
        file = dir.resolve(".aws.creds");
    }

    private CredentialsFile.Result read(String text, Optional<String> profile) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return CredentialsFile.read(file, profile);
    }

    private InputException error(String text, Optional<String> profile) {
        return assertThrows(InputException.class, () -> read(text, profile));
    }

    @Test
    void theOriginalToolsFormat() throws IOException {
        Credentials.FromFile c = read("AWSAccessKeyId=" + ID + "\r\nAWSSecretKey=" + SECRET + "\r\n", Optional.empty())
                .credentials();
        assertEquals(ID, c.keys().accessKeyId());
        assertEquals(SECRET, c.keys().secretAccessKey());
        assertEquals(Optional.empty(), c.keys().sessionToken());
    }

    @Test
    void theOriginalFormatWithExportQuotesAndComments() throws IOException {
        Credentials.FromFile c = read("# mine\nexport AWSAccessKeyId=\"" + ID + "\"\nAWSSecretKey='" + SECRET + "'\n",
                Optional.empty()).credentials();
        assertEquals(ID, c.keys().accessKeyId());
        assertEquals(SECRET, c.keys().secretAccessKey());
    }

    @Test
    void anAwsCliFileUsesDefaultOrTheNamedProfileWithItsSessionToken() throws IOException {
        String text = "[default]\naws_access_key_id = AKIADEFAULT000000000\naws_secret_access_key = " + SECRET + "\n\n"
                + "[work]\naws_access_key_id=" + ID + "\naws_secret_access_key=" + SECRET + "\naws_session_token="
                + TOKEN + "\n";
        assertEquals("AKIADEFAULT000000000", read(text, Optional.empty()).credentials().keys().accessKeyId());
        Credentials.FromFile work = read(text, Optional.of("work")).credentials();
        assertEquals(ID, work.keys().accessKeyId());
        assertEquals(Optional.of(TOKEN), work.keys().sessionToken());
    }

    @Test
    void aMissingProfileListsTheSectionsThereAre() {
        InputException e = error("[default]\naws_access_key_id=" + ID + "\naws_secret_access_key=" + SECRET + "\n",
                Optional.of("work"));
        assertEquals("credentials file " + file + " has no [work] section (sections: default)", e.getMessage());
    }

    @Test
    void aSectionWithoutBothKeysSaysWhichAreNeeded() {
        InputException e = error("[default]\naws_access_key_id=" + ID + "\n", Optional.empty());
        assertEquals("credentials file " + file + ": section [default] needs aws_access_key_id and aws_secret_access_key",
                e.getMessage());
    }

    @Test
    void theOriginalFormatNeedsBothKeys() {
        InputException e = error("AWSAccessKeyId=" + ID + "\n", Optional.empty());
        assertTrue(e.getMessage().startsWith("credentials file " + file + " needs both AWSAccessKeyId= and AWSSecretKey="),
                e.getMessage());
    }

    @Test
    void aLineThatIsNoAssignmentIsNamedByNumberWithoutItsText() {
        InputException e = error("AWSAccessKeyId=" + ID + "\n" + SECRET + "\n", Optional.empty());
        assertTrue(e.getMessage().startsWith(file + ":2: expected AWSAccessKeyId=... and AWSSecretKey=... lines"),
                e.getMessage());
        assertFalse(e.getMessage().contains(SECRET));
    }

    @Test
    void malformedKeysAreRefusedWithoutShowingThem() {
        InputException badId = error("AWSAccessKeyId=akia-lower\nAWSSecretKey=" + SECRET + "\n", Optional.empty());
        assertTrue(badId.getMessage().contains("the access key id is not of the form AKIA..."), badId.getMessage());
        String spacedSecret = "has spaces in it, not a secret at all";
        InputException badSecret = error("AWSAccessKeyId=" + ID + "\nAWSSecretKey=" + spacedSecret + "\n",
                Optional.empty());
        assertTrue(badSecret.getMessage().contains("the secret key or session token holds spaces"),
                badSecret.getMessage());
        assertFalse(badSecret.getMessage().contains(spacedSecret));
    }

    @Test
    void aFileOthersCanReadGetsAChmodWarning() throws IOException {
        Files.writeString(file, "AWSAccessKeyId=" + ID + "\nAWSSecretKey=" + SECRET + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(Optional.of("credentials file " + file + " is readable by other users; run: chmod 600 " + file),
                CredentialsFile.read(file, Optional.empty()).warning());
    }

    @Test
    void aPrivateFileGetsNoWarning() throws IOException {
        assertEquals(Optional.empty(), read("AWSAccessKeyId=" + ID + "\nAWSSecretKey=" + SECRET + "\n",
                Optional.empty()).warning());
    }

    @Test
    void theSecretNeverAppearsInTheCredentialsDescription() throws IOException {
        Credentials.FromFile c = read("[default]\naws_access_key_id=" + ID + "\naws_secret_access_key=" + SECRET
                + "\naws_session_token=" + TOKEN + "\n", Optional.empty()).credentials();
        assertFalse(c.toString().contains(SECRET), c.toString());
        assertFalse(c.toString().contains(TOKEN), c.toString());
    }

    @Test
    void cliKeysWithoutASectionHeaderNameTheMissingHeader() {
        InputException e = error("aws_access_key_id=" + ID + "\naws_secret_access_key=" + SECRET + "\n", Optional.empty());
        assertEquals("credentials file " + file + " has aws_access_key_id / aws_secret_access_key lines but no section"
                + " header: put a line [default] (or [<profile>] for --profile) above them", e.getMessage());
    }

    /** The original tool's file has no profiles: --profile with it is an error, not silently ignored. */
    @Test
    void profileWithAFileWithoutProfilesIsAnError() throws IOException {
        Files.writeString(file, "AWSAccessKeyId=" + ID + "\nAWSSecretKey=" + SECRET + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        InputException e = assertThrows(InputException.class, () -> CredentialsFile.read(file, Optional.of("work"), true));
        assertEquals("--profile work: credentials file " + file + " has no profiles (no [section] lines); drop"
                + " --profile, or give an AWS CLI credentials file with a [work] section", e.getMessage());
        // AWS_PROFILE, set for other tools, does not make the same file an error.
        assertEquals(ID, CredentialsFile.read(file, Optional.of("work"), false).credentials().keys().accessKeyId());
    }
}
