package io.github.ec2spotter.cli;

import picocli.CommandLine.Option;

/** {@code --output}: a table for people (the default) or JSON for scripts. */
final class OutputOptions {
    enum Format { table, json }

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json, for scripts.")
    Format format;

    boolean json() {
        return format == Format.json;
    }
}
