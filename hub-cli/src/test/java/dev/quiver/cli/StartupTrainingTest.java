package dev.quiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupTrainingTest {
    @TempDir
    Path dir;

    @Test
    void theLibrariesAreTheManifestsClassPathThoseThatExist() throws IOException {
        Files.createDirectories(dir.resolve("libs"));
        Files.write(dir.resolve("libs/a.jar"), new byte[0]);
        Path jar = jar(dir.resolve("cli.jar"), "libs/a.jar libs/missing.jar", new String[0]);

        assertThat(StartupTraining.jars(jar)).containsExactly(jar, dir.resolve("libs/a.jar"));
    }

    @Test
    void everyClassThatCanLoadIsLoadedAndTheRestSkipped() throws IOException {
        // Table is on the test class path; Gone names a class no loader has (an optional dependency's, say)
        Path jar = jar(dir.resolve("cli.jar"), null, new String[] {"dev/quiver/cli/Table.class", "dev/quiver/cli/Gone.class"});

        assertThat(StartupTraining.loadClasses(jar, getClass().getClassLoader())).isEqualTo(1);
    }

    @Test
    void theTrainingBuildsEveryCommandAndLoadsTheJarAndItsLibrariesOnlyWhenAsked() throws IOException {
        Files.createDirectories(dir.resolve("libs"));
        jar(dir.resolve("libs/a.jar"), null, new String[] {"dev/quiver/cli/Output.class"});
        Path jar = jar(dir.resolve("cli.jar"), "libs/a.jar", new String[] {"dev/quiver/cli/Table.class"});

        assertThat(StartupTraining.train(jar, false)).isEqualTo(1);
        assertThat(StartupTraining.train(jar, true)).isEqualTo(2);
    }

    @Test
    void theTrainingRunsWhoamiADownloadAndASnapshotToSuccessAgainstItsCannedReplies() {
        // a command that failed here would leave its success path out of the archive, silently
        assertThat(StartupTraining.exercise()).containsExactly(0, 0, 0);
    }

    /** A jar with the given class entries (bytes from the test class path when there, else empty). */
    private static Path jar(Path path, String classPath, String[] classes) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream file = Files.newOutputStream(path); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (String c : classes) {
                out.putNextEntry(new JarEntry(c));
                try (InputStream in = StartupTrainingTest.class.getClassLoader().getResourceAsStream(c)) {
                    if (in != null) {
                        in.transferTo(out);
                    }
                }
                out.closeEntry();
            }
        }
        return path;
    }
}
