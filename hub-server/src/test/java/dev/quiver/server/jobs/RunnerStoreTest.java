package dev.quiver.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.server.db.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A runner is known from its registration on, however often it is seen; an id nobody registered is not. */
class RunnerStoreTest {
    @Test
    void aRegisteredRunnerIsSeenAndAnUnknownIdIsNot(@TempDir Path dir) {
        try (Database db = Database.open(dir.resolve("quiver.db"))) {
            RunnerStore runners = new RunnerStore(db);
            String id = RunnerStore.newId();
            runners.register(id, "gpu-1", "{}", "admin");
            for (int i = 0; i < 3; i++) {
                assertThat(runners.seen(id)).isTrue();
            }
            assertThat(runners.seen(RunnerStore.newId())).isFalse();
        }
    }
}
