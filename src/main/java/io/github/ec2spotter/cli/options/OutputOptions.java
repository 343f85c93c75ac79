package io.github.ec2spotter.cli.options;

import io.github.ec2spotter.cli.output.Console;
import io.github.ec2spotter.ops.Report;
import picocli.CommandLine.Option;

/** {@code --output}: a table for people (the default) or JSON for scripts. */
public final class OutputOptions {
    enum Format { table, json }

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json, for scripts.")
    Format format;

    /** Prints the report in the chosen form, as results. */
    public void print(Console console, Report report) {
        if (format == Format.json) {
            console.result(report.json());
        } else {
            report.lines().forEach(console::result);
        }
    }
}
