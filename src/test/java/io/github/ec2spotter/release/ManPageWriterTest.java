package io.github.ec2spotter.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AsciiDoc of picocli's ManPageGenerator turned into roff; scripts/test-release renders the real pages with man. */
class ManPageWriterTest {
    @TempDir
    Path dir;

    private String roff(String adoc) throws IOException {
        Path page = Files.writeString(dir.resolve("page.adoc"), adoc);
        return ManPageWriter.toRoff(page, "1.2.3");
    }

    @Test
    void sectionsParagraphsAndOptionsBecomeManRequests() throws IOException {
        String roff = roff("""
                // tag::picocli-generated-full-manpage[]
                :doctype: manpage
                = ec2spotter-launch(1)

                == Name

                ec2spotter-launch - Request a spot instance.

                == Synopsis

                *ec2spotter launch* [*-v*] [*--timeout*=_SECONDS_]
                                  _CONF_ [_CREDS_]

                == Options

                *--timeout*=_SECONDS_::
                  Give up after this many seconds.
                """);
        assertEquals("""
                .TH "EC2SPOTTER-LAUNCH" "1" "" "ec2spotter 1.2.3" "ec2spotter manual"
                .nh
                .ad l
                .SH "NAME"
                .PP
                ec2spotter\\-launch \\- Request a spot instance.
                .SH "SYNOPSIS"
                .PP
                \\fBec2spotter launch\\fR [\\fB\\-v\\fR] [\\fB\\-\\-timeout\\fR=\\fISECONDS\\fR]
                \\fICONF\\fR [\\fICREDS\\fR]
                .SH "OPTIONS"
                .TP
                \\fB\\-\\-timeout\\fR=\\fISECONDS\\fR
                Give up after this many seconds.
                """, roff);
    }

    @Test
    void underscoresInsideWordsAndLeadingDotsStayText() throws IOException {
        String roff = roff("""
                = ec2spotter(1)

                Override ec2spotter_instance_type, see ~/.aws and C:\\path.
                A value_ends_ with an underscore.
                .hidden starts with a dot
                """);
        assertTrue(roff.contains("Override ec2spotter_instance_type, see ~/.aws and C:\\epath.\n"), roff);
        assertTrue(roff.contains("\nA value_ends_ with an underscore.\n"), roff);
        assertTrue(roff.contains("\n\\&.hidden starts with a dot\n"), roff);
    }

    @Test
    void crossReferencesBecomeTheirLabel() throws IOException {
        String roff = roff("""
                = ec2spotter(1)

                == Commands

                xref:ec2spotter-launch.adoc[*launch*]::
                  Request a spot instance.
                """);
        assertTrue(roff.contains(".TP\n\\fBlaunch\\fR\nRequest a spot instance.\n"), roff);
    }

    @Test
    void anUnknownConstructStopsTheBuildNamingPageAndLine() throws IOException {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> roff("""
                = ec2spotter(1)

                include::other.adoc[]
                """));
        assertTrue(e.getMessage().contains("page.adoc:3: not part of the AsciiDoc"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> roff("text before any title\n"));
    }
}
