package dev.quiver.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official {@code @huggingface/hub} client's {@code listModels}/{@code listDatasets} against the search index. */
class HfJsSearchIT {
    @Test
    void officialJsClientListsAndSearchesModelsAndDatasets(@TempDir Path cache) throws Exception {
        try (TestHub hub = TestHub.start()) {
            NodeScript.Run run = HfJsClientIT.node(hub, "hf-client-search.mjs", cache);
            assertThat(run.output()).contains("all steps passed");
            assertThat(run.exitCode()).as(run.output()).isZero();
        }
    }
}
