package io.github.ec2spotter.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ec2spotter.config.ConfFile;
import io.github.ec2spotter.config.InputException;
import io.github.ec2spotter.config.LaunchSettings;
import io.github.ec2spotter.config.SettingsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IamNamesTest {
    @TempDir
    Path dir;

    @Test
    void withoutAProfileInTheConfTheNamesComeFromTheVolume() throws IOException {
        IamNames.Names names = IamNames.of(settings("spotter", ""));
        assertEquals(new IamNames.Names("ec2spotter-spotter", "ec2spotter-spotter", "/", false, Optional.empty()), names);
        assertEquals("arn:aws:iam::123456789012:instance-profile/ec2spotter-spotter",
                IamNames.profileArn(names, new IamNames.Owner("aws", "123456789012")));
    }

    @Test
    void aVolumeNameOutsideIamsCharactersIsMadeSafeAndKeptApartByItsHash() {
        String spaced = IamNames.fromVolumeName("my vol");
        String slashed = IamNames.fromVolumeName("my/vol");
        assertTrue(spaced.matches("ec2spotter-my-vol-[0-9a-f]{8}"), spaced);
        assertTrue(slashed.matches("ec2spotter-my-vol-[0-9a-f]{8}"), slashed);
        assertNotEquals(spaced, slashed);
        assertEquals(spaced, IamNames.fromVolumeName("my vol"), "the same name every run");
        assertTrue(IamNames.fromVolumeName("bäcker").matches("ec2spotter-b-cker-[0-9a-f]{8}"));
        assertEquals("ec2spotter-a+b=c,d.e@f_g-h", IamNames.fromVolumeName("a+b=c,d.e@f_g-h"), "IAM's own characters stay");
    }

    @Test
    void aLongVolumeNameIsCutToIamsRoleNameLimit() {
        String name = IamNames.fromVolumeName("x".repeat(200));
        assertEquals(64, name.length());
        assertTrue(name.matches("ec2spotter-x{44}-[0-9a-f]{8}"), name);
        assertEquals(64, IamNames.fromVolumeName("y".repeat(53)).length(), "exactly 64 needs no hash");
        assertEquals("ec2spotter-" + "y".repeat(53), IamNames.fromVolumeName("y".repeat(53)));
    }

    @Test
    void aProfileNameInTheConfNamesRoleAndProfile() throws IOException {
        IamNames.Names names = IamNames.of(settings("spotter", "ec2spotter_iam_instance_profile=team-box\n"));
        assertEquals(new IamNames.Names("team-box", "team-box", "/", true, Optional.empty()), names);
    }

    @Test
    void aProfileArnInTheConfGivesItsNamePathAndAccount() throws IOException {
        IamNames.Names names = IamNames.of(settings("spotter",
                "ec2spotter_iam_instance_profile=arn:aws:iam::210987654321:instance-profile/gpu/team-box\n"));
        assertEquals(new IamNames.Names("team-box", "team-box", "/gpu/", true, Optional.of("210987654321")), names);
        assertEquals("arn:aws:iam::210987654321:instance-profile/gpu/team-box",
                IamNames.profileArn(names, new IamNames.Owner("aws", "210987654321")));
    }

    @Test
    void aProfileNameLongerThanARoleNameMayBeIsRefused() throws IOException {
        LaunchSettings settings = settings("spotter", "ec2spotter_iam_instance_profile=" + "p".repeat(65) + "\n");
        InputException e = assertThrows(InputException.class, () -> IamNames.of(settings));
        assertTrue(e.getMessage().contains("at most 64 characters in a role name"), e.getMessage());
        assertEquals("p".repeat(64), IamNames.of(settings("spotter", "ec2spotter_iam_instance_profile="
                + "p".repeat(64) + "\n")).role());
    }

    @Test
    void theOwnerOfAnArnIsItsPartitionAndAccount() {
        assertEquals(Optional.of(new IamNames.Owner("aws", "123456789012")),
                IamNames.ownerOf("arn:aws:iam::123456789012:role/ec2spotter-spotter"));
        assertEquals(Optional.of(new IamNames.Owner("aws-cn", "111122223333")),
                IamNames.ownerOf("arn:aws-cn:iam::111122223333:user/dev"));
        assertEquals(Optional.empty(), IamNames.ownerOf("not-an-arn"));
        assertEquals(Optional.empty(), IamNames.ownerOf("arn:aws:ec2:us-east-1:123456789012:volume/vol-1"));
    }

    private LaunchSettings settings(String volume, String extra) throws IOException {
        Path file = dir.resolve("my.conf");
        Files.writeString(file, """
                ec2spotter_volume_name=%s
                ec2spotter_launch_zone=us-east-1d
                ec2spotter_preboot_image_id=ami-0abcdef1234567890
                ec2spotter_instance_type=g4dn.xlarge
                """.formatted(volume) + extra);
        return SettingsReader.read(ConfFile.read(file)).settings();
    }
}
