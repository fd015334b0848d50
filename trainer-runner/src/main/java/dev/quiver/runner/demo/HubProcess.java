package dev.quiver.runner.demo;

import dev.quiver.runner.TrainerException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A hub started as a child process from its jar (the runner never links the server: they meet over
 * HTTP). Its output is passed through; {@link #url()} is read from its {@code listening on} line.
 */
public final class HubProcess implements AutoCloseable {
    static final String LISTENING = "Quiver hub listening on ";

    private final Process process;
    private final String url;

    private HubProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts {@code serve} with {@code args}; the jar comes from {@code QUIVER_HUB_JAR}, set by the launcher. */
    public static HubProcess start(List<String> args, String adminToken) throws IOException, InterruptedException {
        String jar = System.getenv("QUIVER_HUB_JAR");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new TrainerException("cannot find the hub jar (QUIVER_HUB_JAR); start this through ./quiver");
        }
        // as the launcher starts it (SQLite's driver loads its native library: no warning about it)
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", jar, "serve"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("QUIVER_ADMIN_TOKEN", adminToken);
        Process process = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            System.out.println(line);
            if (line.startsWith(LISTENING)) {
                Thread.ofVirtual().start(() -> {
                    try {
                        out.lines().forEach(System.out::println);
                    } catch (UncheckedIOException e) {
                        // the stream closes when the demo stops the hub (Ctrl-C): its output has ended
                    }
                });
                return new HubProcess(process, line.substring(LISTENING.length()).strip());
            }
        }
        process.waitFor(5, TimeUnit.SECONDS);
        throw new TrainerException("the hub exited before it was ready; see its output above");
    }

    public String url() {
        return url;
    }

    public void await() throws InterruptedException {
        process.waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
