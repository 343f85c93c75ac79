package io.github.ec2spotter.cli.options;

import picocli.CommandLine.Option;

/** {@code --output}: a table for people (the default) or JSON for scripts. */
public final class OutputOptions {
    enum Format { table, json }

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json, for scripts.")
    Format format;

    public boolean json() {
        return format == Format.json;
    }
}
