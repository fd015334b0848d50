package dev.quiver.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the Node scripts in {@code hub-server/src/test/js} (the official {@code @huggingface/hub}
 * client, unchanged) against a running hub: {@code HUB_URL} and {@code HF_TOKEN} are set, plus any
 * extra environment a script reads.
 */
public final class NodeScript {
    public static final Path JS_DIR = Path.of("src/test/js").toAbsolutePath();

    private NodeScript() {
    }

    /** The output and exit code of a script run. */
    public record Run(int exitCode, String output) {
    }

    public static Run run(TestHub hub, String script, Map<String, String> env) throws IOException, InterruptedException {
        return run(hub.url(), hub.token(), script, env);
    }

    public static Run run(String hubUrl, String token, String script, Map<String, String> env)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("node-", ".log");
        ProcessBuilder pb = new ProcessBuilder("node", script).directory(JS_DIR.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HUB_URL", hubUrl);
        pb.environment().put("HF_TOKEN", token);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        System.out.println(output);
        return new Run(p.isAlive() ? -1 : p.exitValue(), output);
    }
}
