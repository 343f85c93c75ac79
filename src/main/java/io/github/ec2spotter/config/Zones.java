package io.github.ec2spotter.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Availability zone and region names. */
public final class Zones {
    private static final String REGION = "[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]+";
    private static final Pattern REGION_NAME = Pattern.compile(REGION);
    /**
     * A standard zone is its region plus one letter ({@code us-east-1d}); a Local or
     * Wavelength Zone is its parent region plus a dashed suffix ({@code us-west-2-lax-1a}).
     */
    private static final Pattern ZONE_NAME = Pattern.compile("(" + REGION + ")(?:[a-z]|(?:-[a-z0-9]+)+[a-z])");

    private Zones() {
    }

    /** The region a zone belongs to, or empty when the text is not a zone name. */
    public static Optional<String> regionOf(String zone) {
        Matcher m = ZONE_NAME.matcher(zone);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    public static boolean isRegion(String name) {
        return REGION_NAME.matcher(name).matches();
    }

    /**
     * What is wrong with a zone a user wrote, empty when it has a zone's shape. Standard zones end
     * in one letter from a to f today ({@code us-east-1f} is the last); up to h is let through,
     * {@code us-east-1z} is not. Whether the region exists is the caller's question: the list
     * of regions is the SDK's.
     */
    public static Optional<String> problem(String zone) {
        if (isRegion(zone)) {
            return Optional.of(zone + " is a region, not an availability zone: add the zone letter, e.g. " + zone + "a");
        }
        Optional<String> region = regionOf(zone);
        if (region.isEmpty()) {
            return Optional.of("expected an availability zone such as us-east-1d or us-west-2-lax-1a");
        }
        String suffix = zone.substring(region.get().length());
        if (suffix.length() == 1 && suffix.charAt(0) > 'h') {
            return Optional.of("no availability zone ends in '" + suffix + "': zones of " + region.get()
                    + " are " + region.get() + "a, " + region.get() + "b and so on");
        }
        return Optional.empty();
    }
}
