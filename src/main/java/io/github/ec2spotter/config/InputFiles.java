package io.github.ec2spotter.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the small text files the user hands us, turning every way they can be wrong into a clear message. */
final class InputFiles {
    /** Far more than any real conf or credentials file; a larger file is a wrong argument. */
    static final long MAX_BYTES = 64 * 1024;

    private InputFiles() {
    }

    /** The file's text as UTF-8, without a byte-order mark. */
    static String readText(Path file, String what) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InputException(what + " " + file + " does not exist");
        }
        if (!Files.exists(file)) {
            throw new InputException(what + " " + file + " is a symbolic link to a file that does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new InputException(what + " " + file + " is a directory, not a file");
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new InputException(what + " " + file + " is " + size + " bytes; expected a small text file (at most "
                        + MAX_BYTES + " bytes)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(what + " " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new InputException(what + " " + file + " is not readable (permission denied)");
        } catch (IOException e) {
            throw new InputException("cannot read " + what + " " + file + ": " + e.getMessage());
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
        if (text.indexOf('\0') >= 0) {
            throw new InputException(what + " " + file + " is a binary file, not text");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw new InputException(what + " " + file + " is empty");
        }
        return text;
    }
}
