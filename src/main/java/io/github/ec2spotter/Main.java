package io.github.ec2spotter;

import io.github.ec2spotter.cli.ExitCodes;
import io.github.ec2spotter.cli.startup.Commands;
import io.github.ec2spotter.cli.startup.HelpPages;
import java.util.Optional;
import picocli.CommandLine;

public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Optional<String> page = HelpPages.forArgs(args);
        if (page.isPresent()) {
            System.out.print(page.get());
            System.out.flush();
            System.exit(ExitCodes.OK);
        }
        System.exit(Commands.forArgs(CommandLine.defaultFactory(), args).execute(args));
    }
}
