package io.github.ec2spotter.boot;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Records the command line of every program a script starts through PATH: a directory that comes
 * first in PATH holds, under the name of every program of the real PATH, a link to one small sh
 * wrapper, which appends its command line to a log and execs the real program. Programs those
 * programs start by name (xfs_admin runs xfs_db) are recorded too. Shell builtins are not
 * processes and have no command line anyone else could read.
 */
final class ArgvRecorder {
    private static final Pattern PROGRAM_NAME = Pattern.compile("[A-Za-z0-9._+-]+");

    private final Path bin;
    private final Path log;
    private final String realPath;

    private ArgvRecorder(Path bin, Path log, String realPath) {
        this.bin = bin;
        this.log = log;
        this.realPath = realPath;
    }

    static ArgvRecorder create(Path dir) throws IOException {
        String realPath = System.getenv("PATH");
        Path bin = Files.createDirectories(dir.resolve("argv-recorder/bin"));
        Path log = dir.resolve("argv-recorder/command-lines");
        Files.writeString(log, "");
        Path wrapper = dir.resolve("argv-recorder/record");
        Files.writeString(wrapper, "#!/bin/sh\n"
                + "name=${0##*/}\n"
                + "{ printf '%s' \"$name\"; printf ' %s' \"$@\"; printf '\\n'; } >>" + BootScript.shellQuote(log.toString()) + "\n"
                + "real_path=" + BootScript.shellQuote(realPath) + "\n"
                + "IFS=:\n"
                + "for dir in $real_path; do\n"
                + "    if [ -f \"$dir/$name\" ] && [ -x \"$dir/$name\" ]; then exec \"$dir/$name\" \"$@\"; fi\n"
                + "done\n"
                + "echo \"argv recorder: no $name in the real PATH\" >&2\n"
                + "exit 127\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Set<String> names = new LinkedHashSet<>();
        for (String dirName : realPath.split(":")) {
            Path real = Path.of(dirName);
            if (!dirName.startsWith("/") || !Files.isDirectory(real)) {
                continue;
            }
            try (DirectoryStream<Path> programs = Files.newDirectoryStream(real)) {
                for (Path program : programs) {
                    String name = program.getFileName().toString();
                    if (PROGRAM_NAME.matcher(name).matches() && Files.isRegularFile(program) && Files.isExecutable(program)) {
                        names.add(name);
                    }
                }
            }
        }
        for (String name : names) {
            Files.createSymbolicLink(bin.resolve(name), wrapper);
        }
        return new ArgvRecorder(bin, log, realPath);
    }

    /** The PATH a recorded run gets. */
    String path() {
        return bin + ":" + realPath;
    }

    /** One line per program started since the last {@link #clear}: its name, then its arguments, space-separated. */
    List<String> commandLines() throws IOException {
        return Files.readAllLines(log);
    }

    void clear() throws IOException {
        Files.writeString(log, "");
    }
}
