package dev.quiver.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official {@code @huggingface/hub} npm client, unchanged, against a real hub. */
class HfJsClientIT {
    static final Path JS_DIR = Path.of("src/test/js").toAbsolutePath();

    @Test
    void officialJsClientRoundTripsModelsAndDatasets(@TempDir Path cache) throws Exception {
        try (TestHub hub = TestHub.start()) {
            NodeRun run = node(hub, "hf-client-roundtrip.mjs", cache);
            assertThat(run.output()).contains("all steps passed");
            assertThat(run.exitCode()).as(run.output()).isZero();
        }
    }

    /** The output and exit code of a Node script run against {@code hub}. */
    record NodeRun(int exitCode, String output) {
    }

    static NodeRun node(TestHub hub, String script, Path cache) throws IOException, InterruptedException {
        Path log = Files.createTempFile("node-", ".log");
        ProcessBuilder pb = new ProcessBuilder("node", script).directory(JS_DIR.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HUB_URL", hub.url());
        pb.environment().put("HF_TOKEN", hub.token());
        pb.environment().put("CACHE_DIR", cache.toString());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        return new NodeRun(p.isAlive() ? -1 : p.exitValue(), output);
    }
}
