package dev.quiver.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import picocli.CommandLine;

/**
 * The run the launcher makes once after a build, under {@code -XX:ArchiveClassesAtExit}, to write the
 * CLI's class-data archive: it builds every command's model and help and loads every class of the
 * CLI's jars, so that the archive serves whichever command comes. (An archive written at the exit
 * of whatever command ran first held only that command's classes: after a first {@code --version},
 * {@code whoami} started no faster than with no archive at all, 0.75 s; with this one, 0.59 s.)
 */
public final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) {
        System.out.println("loaded " + train(Path.of(System.getProperty("java.class.path"))) + " classes");
    }

    /** Builds every command with its help and loads the classes of {@code jar} and its libraries; returns how many. */
    static int train(Path jar) {
        CommandLine all = Main.commandLine(new CliEnvironment(Map.of(), Path.of(System.getProperty("java.io.tmpdir")),
                InputStream.nullInputStream(), false));
        PrintWriter discard = new PrintWriter(new StringWriter());
        all.getSubcommands().values().forEach(c -> c.usage(discard));
        int loaded = 0;
        for (Path j : jars(jar)) {
            loaded += loadClasses(j, StartupTraining.class.getClassLoader());
        }
        return loaded;
    }

    /** The jar and the jars its manifest's {@code Class-Path} names (the CLI's libraries), those that exist. */
    static Set<Path> jars(Path jar) {
        Set<Path> jars = new LinkedHashSet<>(List.of(jar));
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (classPath != null) {
                for (String entry : classPath.trim().split("\\s+")) {
                    Path lib = jar.toAbsolutePath().resolveSibling(entry).normalize();
                    if (Files.isRegularFile(lib)) {
                        jars.add(lib);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
        return jars;
    }

    /**
     * Loads (without initialising) every class in the jar; returns how many loaded. Classes that need
     * something absent (optional dependencies of a library) are skipped: no command uses them.
     */
    static int loadClasses(Path jar, ClassLoader loader) {
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e : file.stream().toList()) {
                String n = e.getName();
                if (n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class")) {
                    names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
        int loaded = 0;
        for (String name : names) {
            try {
                Class.forName(name, false, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                // an optional dependency's class: nothing the CLI runs
            }
        }
        return loaded;
    }
}
