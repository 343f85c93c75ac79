package io.github.ec2spotter.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpellingTest {
    private static final List<String> COMMANDS = List.of("launch", "status", "stop", "prices", "user-data", "completion");

    @Test
    void aTypoFindsTheWordMeant() {
        assertEquals(Optional.of("launch"), Spelling.closest("lauch", COMMANDS));
        assertEquals(Optional.of("launch"), Spelling.closest("luanch", COMMANDS), "two letters swapped are one edit");
        assertEquals(Optional.of("status"), Spelling.closest("statsu", COMMANDS));
        assertEquals(Optional.of("instance_type"), Spelling.closest("instance_typ", List.of("instance_name",
                "instance_type", "key_name")));
    }

    @Test
    void aWordFarFromEveryCandidateFindsNothing() {
        assertEquals(Optional.empty(), Spelling.closest("deploy", COMMANDS));
        assertEquals(Optional.empty(), Spelling.closest("sp", COMMANDS));
        assertEquals(Optional.empty(), Spelling.closest("launch", COMMANDS), "the word itself is no suggestion");
    }

    @Test
    void distanceCountsEdits() {
        assertEquals(0, Spelling.distance("stop", "stop"));
        assertEquals(1, Spelling.distance("stop", "sto"));
        assertEquals(1, Spelling.distance("stop", "tsop"));
        assertEquals(3, Spelling.distance("", "abc"));
    }
}
