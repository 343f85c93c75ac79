package io.github.ec2spotter.release;

import io.github.ec2spotter.cli.startup.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the release's man pages at build time (Maven's {@code package} phase runs {@link #main}):
 * picocli's {@link ManPageGenerator} renders one AsciiDoc page per command, which this class turns
 * into man(7) roff. It lives with the tests so that picocli-codegen stays on the build's class path,
 * never in the jar or the runtime. Asciidoctor would do the conversion, but it needs JRuby: 20 s
 * on every build. The pages use a small subset of AsciiDoc; any construct outside it stops the build
 * with the page and line, so a newer picocli cannot silently produce a broken page.
 */
public final class ManPageWriter {
    private static final Pattern TITLE = Pattern.compile("= (\\S+)\\((\\d)\\)");
    private static final Pattern SECTION = Pattern.compile("== (.+)");
    private static final Pattern TERM = Pattern.compile("(\\S.*)::");
    private static final Pattern XREF = Pattern.compile("xref:[^\\[\\s]+\\.adoc\\[([^\\]]*)]");
    private static final Pattern BOLD = Pattern.compile("(?<![\\w*])\\*([^*\\s](?:[^*]*[^*\\s])?)\\*(?![\\w*])");
    private static final Pattern ITALIC = Pattern.compile("(?<![\\w_])_([^_\\s](?:[^_]*[^_\\s])?)_(?![\\w_])");

    private ManPageWriter() {
    }

    /** {@code args}: the directory for the pages, and the version their footer names. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ManPageWriter MAN1_DIRECTORY VERSION");
        }
        Path out = Path.of(args[0]);
        Path adoc = out.resolveSibling(out.getFileName() + ".adoc");
        for (Path dir : List.of(out, adoc)) {
            Files.createDirectories(dir);
            try (Stream<Path> old = Files.list(dir)) {
                old.forEach(ManPageWriter::delete);
            }
        }
        CommandLine cli = Commands.all(CommandLine.defaultFactory());
        int status = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true, cli.getCommandSpec());
        if (status != 0) {
            throw new IllegalStateException("picocli's ManPageGenerator exited " + status);
        }
        try (Stream<Path> pages = Files.list(adoc)) {
            for (Path page : pages.sorted().toList()) {
                String name = page.getFileName().toString().replaceFirst("\\.adoc$", ".1");
                Files.writeString(out.resolve(name), toRoff(page, args[1]), StandardCharsets.UTF_8);
            }
        }
    }

    /** The man(7) page for one AsciiDoc page of {@link ManPageGenerator}. */
    static String toRoff(Path page, String version) throws IOException {
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        StringBuilder roff = new StringBuilder();
        boolean inParagraph = false;
        boolean inItem = false;
        boolean titled = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = page + ":" + (i + 1);
            Matcher m;
            if (line.startsWith("//") || line.startsWith(":")) {
                continue;
            }
            if (line.isBlank()) {
                inParagraph = false;
                inItem = false;
            } else if ((m = TITLE.matcher(line)).matches()) {
                roff.append(".TH \"").append(m.group(1).toUpperCase(Locale.ROOT)).append("\" \"").append(m.group(2))
                        .append("\" \"\" \"ec2spotter ").append(version).append("\" \"ec2spotter manual\"\n")
                        // Neither hyphenated nor justified: option names must read as typed.
                        .append(".nh\n.ad l\n");
                titled = true;
            } else if (!titled) {
                throw new IllegalStateException(where + ": text before the page title: " + line);
            } else if ((m = SECTION.matcher(line)).matches()) {
                roff.append(".SH \"").append(m.group(1).toUpperCase(Locale.ROOT)).append("\"\n");
            } else if (line.startsWith("  ") && inItem) {
                roff.append(inline(line.strip(), where)).append('\n');
            } else if ((m = TERM.matcher(line)).matches() && !inParagraph) {
                roff.append(".TP\n").append(inline(m.group(1), where)).append('\n');
                inItem = true;
            } else if (!inItem) {
                if (!inParagraph) {
                    roff.append(".PP\n");
                    inParagraph = true;
                }
                roff.append(inline(line.strip(), where)).append('\n');
            } else {
                throw new IllegalStateException(where + ": not part of the AsciiDoc this converter knows: " + line);
            }
        }
        if (!titled) {
            throw new IllegalStateException(page + ": no page title (= name(1))");
        }
        return roff.toString();
    }

    /** One line of text: cross references become their label, *bold* and _italic_ fonts, roff's specials escaped. */
    private static String inline(String text, String where) {
        String plain = XREF.matcher(text).replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
        if (plain.contains("xref:") || plain.contains("pass:") || plain.contains("include::") || plain.contains("`")) {
            throw new IllegalStateException(where + ": not part of the AsciiDoc this converter knows: " + text);
        }
        String escaped = plain.replace("\\", "\\e").replace("-", "\\-");
        escaped = BOLD.matcher(escaped).replaceAll(r -> Matcher.quoteReplacement("\\fB" + r.group(1) + "\\fR"));
        escaped = ITALIC.matcher(escaped).replaceAll(r -> Matcher.quoteReplacement("\\fI" + r.group(1) + "\\fR"));
        // A line starting with a dot or an apostrophe would be read as a request.
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
