package io.github.ec2spotter.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Reads the small text files the user hands us, turning every way they can be wrong into a clear message. */
final class InputFiles {
    /** Far more than any real conf or credentials file; a larger file is a wrong argument. */
    static final int MAX_BYTES = 64 * 1024;

    private InputFiles() {
    }

    /** The file's text as UTF-8, without a byte-order mark. */
    static String readText(Path file, String what) {
        BasicFileAttributes link;
        try {
            link = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new InputException(what + " " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new InputException(what + " " + file + " cannot be reached: permission denied on a directory above it");
        } catch (IOException e) {
            throw new InputException("cannot read " + what + " " + file + ": " + e.getMessage());
        }
        if (link.isSymbolicLink() && !Files.exists(file)) {
            throw new InputException(what + " " + file + " is a symbolic link to a file that does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new InputException(what + " " + file + " is a directory, not a file");
        }
        byte[] bytes;
        // Read at most one byte more than allowed: a pipe, /dev/zero or a growing file has no
        // trustworthy size, and an unbounded read of one would exhaust memory.
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new InputException(what + " " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new InputException(what + " " + file + " is not readable (permission denied)");
        } catch (IOException e) {
            throw new InputException("cannot read " + what + " " + file + ": " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            throw new InputException(what + " " + file + " is larger than " + MAX_BYTES
                    + " bytes; expected a small text file");
        }
        int nul = indexOf(bytes, (byte) 0);
        if (nul >= 0) {
            throw new InputException(what + " " + file + ":" + lineOf(bytes, nul)
                    + ": a NUL byte; this is a binary file, not text");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InputException(what + " " + file + " is not a UTF-8 text file");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw new InputException(what + " " + file + " is empty");
        }
        return text;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The 1-based line number of the byte at {@code index}. */
    private static int lineOf(byte[] bytes, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
