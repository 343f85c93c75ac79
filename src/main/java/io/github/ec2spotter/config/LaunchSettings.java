package io.github.ec2spotter.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything a conf file says about the instance to launch, validated. Optional settings are
 * empty when the conf does not set them; EC2's own defaults then apply.
 */
public record LaunchSettings(
        Path confFile,
        String volumeName,
        String launchZone,
        String volumeZone,
        String prebootImageId,
        String instanceType,
        Optional<String> keyName,
        Optional<String> subnet,
        List<String> securityGroups,
        Optional<BigDecimal> bidPrice,
        Optional<String> elasticIp,
        Optional<String> instanceName,
        Optional<String> iamInstanceProfile,
        Optional<Integer> rootSizeGib,
        RequestType requestType,
        InterruptionBehavior interruptionBehavior,
        boolean embedCredentials,
        boolean interruptionHooks,
        boolean keepHostKeys,
        Kernel kernel,
        Optional<String> sshUser,
        Optional<String> sshKey) {

    public enum RequestType {
        PERSISTENT("persistent"), ONE_TIME("one-time");

        private final String word;

        RequestType(String word) {
            this.word = word;
        }

        /** The word used in the conf file and by EC2. */
        public String word() {
            return word;
        }
    }

    public enum InterruptionBehavior {
        TERMINATE, STOP, HIBERNATE;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Which kernel runs the volume's system (ec2spotter_kernel): the volume's own through a one-shot
     * boot-loader entry, the AMI's under the init stub's pivot, or the volume's where the pre-boot
     * disk's GRUB can boot it (the boot script decides, on the instance).
     */
    public enum Kernel {
        AUTO, VOLUME, AMI;

        /** The word used in the conf file and by the boot script. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The pre-boot root disk's size when the conf does not set it and the AMI's snapshot is smaller. */
    public static final int DEFAULT_ROOT_SIZE_GIB = 8;

    /** The user {@code ssh} logs in as when {@code --user} does not say. */
    public static final String DEFAULT_SSH_USER = "ubuntu";

    /** The region the instance runs in. */
    public String region() {
        return Zones.regionOf(launchZone).orElseThrow();
    }

    /** The region the volume currently lives in. */
    public String volumeRegion() {
        return Zones.regionOf(volumeZone).orElseThrow();
    }

    public LaunchSettings withInstanceType(String type) {
        return new LaunchSettings(confFile, volumeName, launchZone, volumeZone, prebootImageId, type, keyName,
                subnet, securityGroups, bidPrice, elasticIp, instanceName, iamInstanceProfile, rootSizeGib,
                requestType, interruptionBehavior, embedCredentials, interruptionHooks, keepHostKeys, kernel, sshUser,
                sshKey);
    }
}
