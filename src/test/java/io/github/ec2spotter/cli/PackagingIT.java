package io.github.ec2spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The shaded jar: runnable, carrying exactly one HTTP client (the JDK-based one) and no build-only class. */
class PackagingIT {
    @Test
    void jarIsRunnableAndHoldsOnlyTheUrlConnectionClient() throws Exception {
        Path path = Path.of(System.getProperty("ec2spotter.jar", "target/ec2spotter.jar"));
        try (JarFile jar = new JarFile(path.toFile())) {
            assertEquals("io.github.ec2spotter.Main", jar.getManifest().getMainAttributes().getValue("Main-Class"));
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("software/amazon/awssdk/http/urlconnection/")));
            for (String unwanted : List.of("software/amazon/awssdk/http/apache", "software/amazon/awssdk/http/apache5",
                    "software/amazon/awssdk/http/nio/netty", "io/netty/", "org/apache/http/", "org/apache/hc/")) {
                assertTrue(names.stream().noneMatch(n -> n.startsWith(unwanted)), unwanted + " is in the jar");
            }
            assertNotNull(jar.getEntry("io/github/ec2spotter/boot/boot.sh"), "boot script template");
        }
    }

    /**
     * Every class of ours in the jar comes from src/main: build-only code (HelpPageWriter,
     * ManPageWriter, the test helpers) lives in src/test and stays out.
     */
    @Test
    void jarHoldsOnlyClassesFromTheMainSources() throws Exception {
        Path path = Path.of(System.getProperty("ec2spotter.jar", "target/ec2spotter.jar"));
        try (JarFile jar = new JarFile(path.toFile())) {
            List<String> ours = jar.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("io/github/ec2spotter/") && n.endsWith(".class")).toList();
            assertTrue(ours.contains("io/github/ec2spotter/cli/startup/HelpPages.class"), ours::toString);
            for (String name : ours) {
                String source = name.replaceFirst("(\\$.*)?\\.class$", ".java");
                assertTrue(Files.exists(Path.of("src/main/java", source)), name + " has no source in src/main/java");
            }
            assertTrue(ours.stream().noneMatch(n -> n.contains("HelpPageWriter") || n.contains("/release/")), ours::toString);
            assertNotNull(jar.getEntry("io/github/ec2spotter/cli/startup/help/ec2spotter.txt"), "the help pages");
        }
    }
}
