package io.github.ec2spotter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The region is derived from the zone, for standard, Local and Wavelength Zones alike. */
class ZonesTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(value = {
            "us-east-1d, us-east-1",
            "eu-central-2a, eu-central-2",
            "us-gov-west-1a, us-gov-west-1",
            "cn-north-1a, cn-north-1",
            "us-west-2-lax-1a, us-west-2",
            "us-east-1-wl1-bos-wlz-1a, us-east-1",
            "ap-northeast-1-tpe-1a, ap-northeast-1",
    })
    void regionOfAZone(String zone, String region) {
        assertEquals(Optional.of(region), Zones.regionOf(zone));
    }

    @ParameterizedTest
    @CsvSource(value = {"us-east-1", "us-east-1-", "us-east-1dd", "useast1d", "us-east-d", "US-EAST-1D", "''"})
    void notAZone(String text) {
        assertEquals(Optional.empty(), Zones.regionOf(text));
    }

    @ParameterizedTest
    @CsvSource(value = {"us-east-1f", "us-west-2-lax-1a", "eu-mars-1a"})
    void zonesOfTheRightShapeHaveNoProblem(String zone) {
        // eu-mars-1a has a zone's shape: whether its region exists is the SDK's list's to say.
        assertEquals(Optional.empty(), Zones.problem(zone));
    }
}
