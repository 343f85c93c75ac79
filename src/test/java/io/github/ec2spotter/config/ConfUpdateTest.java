package io.github.ec2spotter.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfUpdateTest {
    private static final String BASE = """
            ec2spotter_volume_name=spotter
            ec2spotter_launch_zone=us-east-1d
            ec2spotter_preboot_image_id=ami-0abcdef1234567890
            ec2spotter_instance_type=g4dn.xlarge
            """;

    @TempDir
    Path dir;

    @Test
    void aFileEndingInANewlineGetsTwoLinesAppended() throws IOException {
        Path conf = write("my.conf", BASE.getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));

        assertEquals(ConfUpdate.Outcome.APPENDED, ConfUpdate.addSetting(conf, "iam_instance_profile", "box", "made here"));

        assertEquals(BASE + "# made here\nec2spotter_iam_instance_profile=box\n", Files.readString(conf));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)));
        assertEquals("box", SettingsReader.read(ConfFile.read(conf)).settings().iamInstanceProfile().orElseThrow());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void aFileWithoutAFinalNewlineGetsOneBeforeTheLinesAndNoneAfter() {
        byte[] original = "a=1\nb=2".getBytes(StandardCharsets.UTF_8);
        assertEquals("a=1\nb=2\n# c\nk=v", text(ConfUpdate.withSetting(original, OptionalInt.empty(), "k=v", "# c")));
    }

    @Test
    void aCrlfFileGetsCrlfLines() {
        byte[] original = "a=1\r\nb=2\r\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("a=1\r\nb=2\r\n# c\r\nk=v\r\n", text(ConfUpdate.withSetting(original, OptionalInt.empty(), "k=v", "# c")));
        byte[] unterminated = "a=1\r\nb=2".getBytes(StandardCharsets.UTF_8);
        assertEquals("a=1\r\nb=2\r\n# c\r\nk=v", text(ConfUpdate.withSetting(unterminated, OptionalInt.empty(), "k=v", "# c")));
    }

    @Test
    void everyOriginalByteStaysWhereItWas() {
        byte[] original = "\uFEFFa='x y'  # note\t\n\n  export b=\"2\"\r\nc=\u00e9\n".getBytes(StandardCharsets.UTF_8);
        byte[] updated = ConfUpdate.withSetting(original, OptionalInt.empty(), "k=v", "# c");
        assertArrayEquals(original, java.util.Arrays.copyOf(updated, original.length));
    }

    @Test
    void anEmptyAssignmentIsReplacedInPlaceKeepingItsLineEnd() throws IOException {
        String text = BASE.replace("\n", "\r\n") + "ec2spotter_iam_instance_profile=   # fill in\r\nec2spotter_key_name=k\r\n";
        Path conf = write("my.conf", text.getBytes(StandardCharsets.UTF_8));

        assertEquals(ConfUpdate.Outcome.REPLACED_EMPTY, ConfUpdate.addSetting(conf, "iam_instance_profile", "box", "made"));

        assertEquals(BASE.replace("\n", "\r\n") + "# made\r\nec2spotter_iam_instance_profile=box\r\nec2spotter_key_name=k\r\n",
                Files.readString(conf));
        assertEquals("box", SettingsReader.read(ConfFile.read(conf)).settings().iamInstanceProfile().orElseThrow());
    }

    @Test
    void anEmptyAssignmentOnTheFirstLineKeepsTheByteOrderMark() {
        byte[] original = "\uFEFFk=\nz=1".getBytes(StandardCharsets.UTF_8);
        assertEquals("\uFEFF# c\nk=v\nz=1", text(ConfUpdate.withSetting(original, OptionalInt.of(1), "k=v", "# c")));
        byte[] last = "z=1\nk=''".getBytes(StandardCharsets.UTF_8);
        assertEquals("z=1\n# c\nk=v", text(ConfUpdate.withSetting(last, OptionalInt.of(2), "k=v", "# c")));
    }

    @Test
    void aFileThatSetsTheKeyIsNotWritten() throws IOException {
        Path conf = write("my.conf", (BASE + "ec2spotter_iam_instance_profile=mine\n").getBytes(StandardCharsets.UTF_8));
        var modified = Files.getLastModifiedTime(conf);
        byte[] before = Files.readAllBytes(conf);

        assertEquals(ConfUpdate.Outcome.ALREADY_SET, ConfUpdate.addSetting(conf, "iam_instance_profile", "box", "made"));

        assertArrayEquals(before, Files.readAllBytes(conf));
        assertEquals(modified, Files.getLastModifiedTime(conf));
    }

    @Test
    void aSymbolicLinkStaysALinkAndItsTargetIsUpdated() throws IOException {
        Path target = write("real.conf", BASE.getBytes(StandardCharsets.UTF_8));
        Path link = Files.createSymbolicLink(dir.resolve("link.conf"), target.getFileName());

        ConfUpdate.addSetting(link, "iam_instance_profile", "box", "made");

        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.readString(target).endsWith("ec2spotter_iam_instance_profile=box\n"));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
