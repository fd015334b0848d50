package dev.quiver.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official {@code @huggingface/hub} npm client, unchanged, against a real hub. */
class HfJsClientIT {
    @Test
    void officialJsClientRoundTripsModelsAndDatasets(@TempDir Path cache) throws Exception {
        try (TestHub hub = TestHub.start()) {
            NodeScript.Run run = node(hub, "hf-client-roundtrip.mjs", cache);
            assertThat(run.output()).contains("all steps passed");
            assertThat(run.exitCode()).as(run.output()).isZero();
        }
    }

    /** Runs a client script with a cache directory (kept for the search test that shares it). */
    static NodeScript.Run node(TestHub hub, String script, Path cache) throws IOException, InterruptedException {
        return NodeScript.run(hub, script, Map.of("CACHE_DIR", cache.toString()));
    }
}
