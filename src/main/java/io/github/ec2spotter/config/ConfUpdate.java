package io.github.ec2spotter.config;

import io.github.ec2spotter.model.Failure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Adds one {@code ec2spotter_<key>=<value>} setting to a conf file the user wrote, changing
 * nothing else in it: every other line stays byte for byte, and so do its line ends (CRLF files
 * get CRLF lines), a byte-order mark, whether it ends with a newline, and its permissions. The new
 * file is written beside the old one and renamed over it, so a reader sees the old file or the new
 * one, never half of it.
 */
public final class ConfUpdate {
    /** What {@link #addSetting} found and did. */
    public enum Outcome {
        /** Two lines (a comment, the setting) were added at the end. */
        APPENDED,
        /** The file set the key to an empty value; that line was replaced by the comment and the setting. */
        REPLACED_EMPTY,
        /** The file already sets the key: nothing was written. */
        ALREADY_SET
    }

    private ConfUpdate() {
    }

    /**
     * Writes {@code ec2spotter_<key>=<value>} (a value the conf reader takes unquoted), after a
     * line {@code # <comment>}, into {@code conf} when it does not set the key yet. A symbolic link
     * is followed: the file it points to is the one rewritten.
     */
    public static Outcome addSetting(Path conf, String key, String value, String comment) {
        ConfFile parsed = ConfFile.read(conf);
        if (parsed.get(key).isPresent()) {
            return Outcome.ALREADY_SET;
        }
        try {
            Path file = conf.toRealPath();
            byte[] original = Files.readAllBytes(file);
            OptionalInt emptyLine = parsed.line(key).map(e -> OptionalInt.of(e.line())).orElse(OptionalInt.empty());
            String assignment = ConfFile.PREFIX + key + "=" + value;
            replace(file, withSetting(original, emptyLine, assignment, "# " + comment));
            return emptyLine.isPresent() ? Outcome.REPLACED_EMPTY : Outcome.APPENDED;
        } catch (IOException e) {
            throw new Failure("cannot write " + conf + ": " + e.getMessage()
                    + " (add the line ec2spotter_" + key + "=" + value + " yourself)", e);
        }
    }

    /**
     * {@code original} with {@code comment} and {@code assignment} as lines of their own: in place
     * of line {@code emptyLine} (1-based) when given, else at the end. The file's line end (CRLF
     * when it has any, else LF) ends each new line; when the file does not end with one, the new
     * lines are put after a line end and the last of them gets none either.
     */
    static byte[] withSetting(byte[] original, OptionalInt emptyLine, String assignment, String comment) {
        String eol = contains(original, "\r\n".getBytes(StandardCharsets.US_ASCII)) ? "\r\n" : "\n";
        byte[] lines = (comment + eol + assignment).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(original.length + lines.length + 4);
        if (emptyLine.isPresent()) {
            int start = lineStart(original, emptyLine.getAsInt());
            if (emptyLine.getAsInt() == 1 && startsWithBom(original)) {
                start += 3;
            }
            int end = start;
            while (end < original.length && original[end] != '\n') {
                end++;
            }
            if (end > start && original[end - 1] == '\r') {
                end--;
            }
            out.write(original, 0, start);
            out.writeBytes(lines);
            out.write(original, end, original.length - end);
            return out.toByteArray();
        }
        boolean endsWithNewline = original.length > 0 && original[original.length - 1] == '\n';
        out.writeBytes(original);
        byte[] end = eol.getBytes(StandardCharsets.US_ASCII);
        if (!endsWithNewline && original.length > 0) {
            out.writeBytes(end);
        }
        out.writeBytes(lines);
        if (endsWithNewline) {
            out.writeBytes(end);
        }
        return out.toByteArray();
    }

    /** Writes {@code bytes} to a new file beside {@code file}, with its permissions, synced, and renames it over {@code file}. */
    private static void replace(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (posix != null) {
                Set<PosixFilePermission> mode = posix.readAttributes().permissions();
                Files.setPosixFilePermissions(temp, mode);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Where line {@code number} (1-based; lines end with LF) begins. */
    private static int lineStart(byte[] bytes, int number) {
        int line = 1;
        int i = 0;
        while (line < number && i < bytes.length) {
            if (bytes[i++] == '\n') {
                line++;
            }
        }
        return i;
    }

    private static boolean startsWithBom(byte[] bytes) {
        return bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf;
    }

    private static boolean contains(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
