package io.github.ec2spotter.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

@Command(name = "ec2spotter", mixinStandardHelpOptions = true, versionProvider = Ec2SpotterCommand.Version.class,
        description = {"Spot instances whose whole system disk survives interruptions.",
                "Your system lives on an EBS volume with a Name tag; each spot instance boots a stock AMI, "
                        + "attaches the volume and pivots its root onto it."})
// The subcommands are added by Commands, only those a run needs.
public final class Ec2SpotterCommand {

    /** The version lines of {@code --version}; the help pages prints them without picocli. */
    public static String[] versionLines() {
        String version = Ec2SpotterCommand.class.getPackage().getImplementationVersion();
        return new String[] {"ec2spotter " + (version == null ? "(development build)" : version)};
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return versionLines();
        }
    }
}
