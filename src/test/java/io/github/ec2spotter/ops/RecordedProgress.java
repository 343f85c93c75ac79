package io.github.ec2spotter.ops;

import java.util.ArrayList;
import java.util.List;

/** What a use case said, each line prefixed by its kind. */
final class RecordedProgress implements Progress {
    final List<String> lines = new ArrayList<>();

    @Override
    public void result(String line) {
        lines.add("result: " + line);
    }

    @Override
    public void info(String line) {
        lines.add("info: " + line);
    }

    @Override
    public void warn(String line) {
        lines.add("warn: " + line);
    }

    @Override
    public void progress(String line) {
        lines.add("progress: " + line);
    }

    @Override
    public void endProgress() {
    }

    List<String> results() {
        return lines.stream().filter(l -> l.startsWith("result: ")).toList();
    }
}
