package io.github.ec2spotter.cli;

import io.github.ec2spotter.config.InputException;
import io.github.ec2spotter.text.Printable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script. Makes no AWS call.",
                "bash:  source <(ec2spotter completion bash)   (or save it under /etc/bash_completion.d/)"},
        footer = {"", "Exit codes: 0 done, 2 bad options (a shell other than bash)."})
public final class CompletionCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "SHELL", description = "bash (also read by zsh's bashcompinit).")
    String shell;

    @Spec
    CommandSpec spec;

    @Override
    int run() {
        if (!"bash".equals(shell)) {
            throw new InputException("completion: only bash is supported, not '" + Printable.of(shell) + "'");
        }
        console.result(AutoComplete.bash("ec2spotter", spec.root().commandLine()));
        return ExitCodes.OK;
    }
}
