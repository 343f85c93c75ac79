package io.github.ec2spotter.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout the README's "Layout" section describes, read from the source tree: which package
 * may use the SDK, which may use which, no cycle between packages, and how long a class may grow.
 */
class ArchitectureTest {
    private static final String BASE = "io.github.ec2spotter";
    private static final Path MAIN = Path.of("src/main/java");
    /** A reference to a class of ours by its full name: an import or a name written out in code. */
    private static final Pattern OUR_CLASS = Pattern.compile("\\b(io\\.github\\.ec2spotter(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");
    private static final Pattern SDK = Pattern.compile("\\bsoftware\\.amazon\\.awssdk\\.");

    /** Each source file's code with comments and string literals blanked out, by path. */
    private static final Map<Path, String> CODE = new TreeMap<>();
    /** Each source file's package. */
    private static final Map<Path, String> PACKAGE = new TreeMap<>();

    @BeforeAll
    static void read() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher m = Pattern.compile("(?m)^package ([\\w.]+);").matcher(text);
                assertTrue(m.find(), file + " has no package line");
                PACKAGE.put(file, m.group(1));
                CODE.put(file, codeOnly(text));
            }
        }
        assertTrue(CODE.size() > 40, "read only " + CODE.size() + " files from " + MAIN.toAbsolutePath());
    }

    /** Comments and the text of string literals and text blocks, gone: a logger named after an SDK package is no use of it. */
    static String codeOnly(String text) {
        return text.replaceAll("(?s)\"\"\".*?\"\"\"", "\"\"")
                .replaceAll("(?s)/\\*.*?\\*/", "")
                .replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"")
                .replaceAll("//[^\\n]*", "");
    }

    private static String sub(String pkg) {
        return pkg.equals(BASE) ? "" : pkg.substring(BASE.length() + 1);
    }

    /** The packages of ours a file uses, by full name, besides its own. */
    static Set<String> uses(String code, String own) {
        Set<String> used = new TreeSet<>();
        Matcher m = OUR_CLASS.matcher(code.replaceFirst("(?m)^package [\\w.]+;", ""));
        while (m.find()) {
            if (!m.group(1).equals(own)) {
                used.add(m.group(1));
            }
        }
        return used;
    }

    @Test
    void onlyTheEc2PackageUsesTheSdk() {
        List<Path> offenders = CODE.entrySet().stream()
                .filter(e -> !PACKAGE.get(e.getKey()).equals(BASE + ".ec2") && SDK.matcher(e.getValue()).find())
                .map(Map.Entry::getKey).toList();
        assertEquals(List.of(), offenders);
        assertTrue(CODE.entrySet().stream().anyMatch(e -> PACKAGE.get(e.getKey()).equals(BASE + ".ec2")
                && SDK.matcher(e.getValue()).find()), "the control: the EC2 package itself uses the SDK");
    }

    /** model/ is the bottom; plan/ decides from model/, config/ and boot/ only. */
    @Test
    void modelAndPlanDependOnNothingAboveThem() {
        Map<String, Set<String>> allowed = Map.of(
                "model", Set.of(),
                "plan", Set.of("model", "config", "boot", "text"),
                "boot", Set.of("model"),
                "config", Set.of("model", "text"),
                "text", Set.of());
        List<String> violations = new ArrayList<>();
        packageGraph().forEach((pkg, used) -> {
            if (allowed.containsKey(pkg)) {
                used.stream().filter(u -> !allowed.get(pkg).contains(u))
                        .forEach(u -> violations.add(pkg + " uses " + u));
            }
        });
        assertEquals(List.of(), violations);
    }

    @Test
    void opsAndEc2StayBelowTheCommandLine() {
        List<String> violations = new ArrayList<>();
        packageGraph().forEach((pkg, used) -> {
            if (pkg.equals("ops") || pkg.equals("ec2")) {
                used.stream().filter(u -> u.equals("cli") || u.startsWith("cli.") || u.equals("training"))
                        .forEach(u -> violations.add(pkg + " uses " + u));
            }
        });
        assertEquals(List.of(), violations);
    }

    @Test
    void noPackageCycle() {
        Map<String, Set<String>> graph = packageGraph();
        assertEquals(List.of(), cycles(graph));
        assertTrue(graph.get("ops").contains("ec2"), "the control: the graph holds the edges it should");
    }

    /** Every cycle found by a depth-first walk, each as the path that closes it. */
    static List<String> cycles(Map<String, Set<String>> graph) {
        List<String> found = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        for (String start : graph.keySet()) {
            walk(start, graph, new ArrayList<>(), done, found);
        }
        return found;
    }

    private static void walk(String pkg, Map<String, Set<String>> graph, List<String> path, Set<String> done,
                             List<String> found) {
        int seen = path.indexOf(pkg);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(pkg);
            found.add(String.join(" -> ", cycle));
            return;
        }
        if (done.contains(pkg)) {
            return;
        }
        path.add(pkg);
        for (String next : graph.getOrDefault(pkg, Set.of())) {
            walk(next, graph, path, done, found);
        }
        path.remove(path.size() - 1);
        done.add(pkg);
    }

    @Test
    void theCycleCheckFindsACycle() {
        assertEquals(List.of("a -> b -> a"), cycles(new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("a")))));
        assertEquals(List.of(), cycles(Map.of("a", Set.of("b"), "b", Set.of())));
    }

    @Test
    void useCasesAndDecisionsStaySmall() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (Path file : CODE.keySet()) {
            String pkg = sub(PACKAGE.get(file));
            long lines = Files.readAllLines(file).size();
            int limit = file.getFileName().toString().endsWith("Gateway.java") ? 300
                    : pkg.equals("ops") || pkg.equals("plan") ? 250 : Integer.MAX_VALUE;
            if (lines > limit) {
                tooLong.add(file + ": " + lines + " lines, at most " + limit);
            }
        }
        assertEquals(List.of(), tooLong);
        assertTrue(CODE.keySet().stream().anyMatch(f -> f.endsWith("ec2/Ec2Gateway.java")), "the gateway moved?");
    }

    /** Which sub-package uses which, by their names under io.github.ec2spotter ("" for the root). */
    private static Map<String, Set<String>> packageGraph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        CODE.forEach((file, code) -> {
            String pkg = PACKAGE.get(file);
            Set<String> used = graph.computeIfAbsent(sub(pkg), k -> new TreeSet<>());
            uses(code, pkg).forEach(u -> used.add(sub(u)));
        });
        return graph;
    }
}
