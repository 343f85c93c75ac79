package io.github.ec2spotter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The conf file is read like shell assignments, and nothing in it is ever run. */
class ConfFileTest {
    private static final Path FILE = Path.of("my.conf");

    private static String value(String line) {
        return ConfFile.parse(FILE, line).get("volume_name").orElseThrow().value();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "ec2spotter_volume_name=spotter                      | spotter",
            "export ec2spotter_volume_name=spotter               | spotter",
            "   ec2spotter_volume_name=spotter   # the volume    | spotter",
            "ec2spotter_volume_name='my box'                     | my box",
            "ec2spotter_volume_name=\"my box\"                   | my box",
            "ec2spotter_volume_name='it'\\''s'                   | it's",
            "ec2spotter_volume_name=\"a \\\"b\\\" \\$c\"         | a \"b\" $c",
            "ec2spotter_volume_name='$(rm -rf /)'                | $(rm -rf /)",
            "ec2spotter_volume_name=a\\ b                        | a b",
            "ec2spotter_volume_name=pre'quoted'post              | prequotedpost",
    })
    void readsShellWords(String line, String expected) {
        assertEquals(expected, value(line));
    }

    @Test
    void skipsCommentsAndBlankLinesAndKeepsLineNumbers() {
        ConfFile conf = ConfFile.parse(FILE, "# a comment\n\n   \nec2spotter_instance_type=g4dn.xlarge\n");
        ConfFile.Entry entry = conf.get("instance_type").orElseThrow();
        assertEquals("g4dn.xlarge", entry.value());
        assertEquals(4, entry.line());
    }

    @Test
    void acceptsCrlfLineEnds() {
        ConfFile conf = ConfFile.parse(FILE, "ec2spotter_volume_name=spotter\r\nec2spotter_launch_zone=us-east-1d\r\n");
        assertEquals("spotter", conf.get("volume_name").orElseThrow().value());
        assertEquals("us-east-1d", conf.get("launch_zone").orElseThrow().value());
    }

    @Test
    void acceptsAUtf8ByteOrderMark(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bom.conf");
        Files.write(file, "\uFEFFec2spotter_volume_name=spotter\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("spotter", ConfFile.read(file).get("volume_name").orElseThrow().value());
    }

    @Test
    void anEmptyValueCountsAsUnset() {
        assertTrue(ConfFile.parse(FILE, "ec2spotter_key_name=\n").get("key_name").isEmpty());
    }

    @Test
    void otherVariablesAreIgnoredWithAWarningNamingTheLine() {
        ConfFile conf = ConfFile.parse(FILE, "\nAWS_REGION=us-east-1\n");
        assertEquals(java.util.List.of("my.conf:2: AWS_REGION is not an ec2spotter_ setting; ignored"), conf.warnings());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "ec2spotter_volume_name=$(reboot)          | my.conf:1: ec2spotter_volume_name: '$' in an unquoted value",
            "ec2spotter_volume_name=`reboot`           | my.conf:1: ec2spotter_volume_name: '`' in an unquoted value",
            "ec2spotter_volume_name=a;reboot           | my.conf:1: ec2spotter_volume_name: ';' in an unquoted value",
            "ec2spotter_volume_name=\"$HOME\"          | my.conf:1: ec2spotter_volume_name: '$' inside double quotes",
            "ec2spotter_volume_name='open              | my.conf:1: ec2spotter_volume_name: the single quote is not closed",
            "ec2spotter_volume_name=\"open             | my.conf:1: ec2spotter_volume_name: the double quote is not closed",
            "ec2spotter_volume_name=my box             | my.conf:1: ec2spotter_volume_name: unexpected text after the value: box",
            "ec2spotter_volume_name=line\\             | my.conf:1: ec2spotter_volume_name: a backslash ends the line",
            "echo hello                                | my.conf:1: expected a line of the form ec2spotter_<key>=<value>",
            "ec2spotter-volume=spotter                 | my.conf:1: expected a line of the form ec2spotter_<key>=<value>",
    })
    void refusesWhatAShellWouldExpandOrRun(String line, String messageStart) {
        InputException e = assertThrows(InputException.class, () -> ConfFile.parse(FILE, line));
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }

    @Test
    void aKeySetTwiceNamesBothLines() {
        InputException e = assertThrows(InputException.class,
                () -> ConfFile.parse(FILE, "ec2spotter_volume_name=a\nec2spotter_volume_name=b\n"));
        assertEquals("my.conf:2: ec2spotter_volume_name is already set on line 1; set it once", e.getMessage());
    }

    /** Arguments swapped: the credentials file given as CONF is named for what it is; no value is shown. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[default]\\naws_access_key_id = AKIAEXAMPLE\\naws_secret_access_key = s3cr3t\\n|1: this looks like an AWS credentials file (a section header [default])",
        "AWSAccessKeyId=AKIAEXAMPLE\\nAWSSecretKey=s3cr3t\\n|1: this looks like an AWS credentials file (the key AWSAccessKeyId)",
        "# mine\\naws_secret_access_key=s3cr3t\\n|2: this looks like an AWS credentials file (the key aws_secret_access_key)"})
    void aCredentialsFileGivenAsConfIsNamed(String text, String expected) {
        InputException e = assertThrows(InputException.class,
                () -> ConfFile.parse(Path.of("creds"), text.replace("\\n", "\n")));
        assertEquals("creds:" + expected + ", not a conf file: give the conf file first, then the credentials file:"
                + " ec2spotter <command> CONF [CREDS]", e.getMessage());
        assertTrue(!e.getMessage().contains("s3cr3t") && !e.getMessage().contains("AKIA"), e.getMessage());
    }

    @Test
    void spacesAroundTheEqualsSignAreNamed() {
        for (String line : java.util.List.of("ec2spotter_volume_name = spotter", "ec2spotter_volume_name =spotter")) {
            InputException e = assertThrows(InputException.class, () -> ConfFile.parse(Path.of("my.conf"), line + "\n"));
            assertEquals("my.conf:1: ec2spotter_volume_name: no spaces around = (a shell would run"
                    + " ec2spotter_volume_name as a command); write ec2spotter_volume_name=<value>", e.getMessage());
        }
        InputException e = assertThrows(InputException.class,
                () -> ConfFile.parse(Path.of("my.conf"), "ec2spotter_volume_name= spotter\n"));
        assertEquals("my.conf:1: ec2spotter_volume_name: no spaces around = (a shell would run the value as a command);"
                + " write ec2spotter_volume_name=<value>, quoted if it holds spaces", e.getMessage());
        // An empty value with a comment after it is still a plain empty value.
        assertEquals(java.util.Optional.empty(), ConfFile.parse(Path.of("my.conf"),
                "ec2spotter_key_name= # none\n").get("key_name"));
    }
}
