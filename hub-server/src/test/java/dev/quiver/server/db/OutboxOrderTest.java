package dev.quiver.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.repo.RepoId;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subscribers never read past an event that is still pending, so a late confirmation is never skipped. */
class OutboxOrderTest {
    private static final String ZERO = "0".repeat(40);

    @Test
    void anEventConfirmedAfterALaterOneIsStillDeliveredInOrder(@TempDir Path dir) {
        try (Database db = Database.open(dir.resolve("quiver.db"))) {
            Outbox outbox = new Outbox(db);
            RepoId a = RepoId.of(RepoType.MODEL, "acme/a");
            RepoId b = RepoId.of(RepoType.MODEL, "acme/b");
            long first = outbox.append(RepoEvent.Kind.REPO_CREATED, a);
            long pending = outbox.stage(RepoEvent.Kind.REF_UPDATED, a, "refs/heads/main", ZERO, "1".repeat(40));
            long later = outbox.append(RepoEvent.Kind.REPO_SETTINGS_CHANGED, b);

            assertThat(outbox.after(0, 10)).extracting(RepoEvent::seq).containsExactly(first);
            assertThat(outbox.lastSeq()).isEqualTo(first);

            outbox.confirm(pending);
            assertThat(outbox.after(first, 10)).extracting(RepoEvent::seq).containsExactly(pending, later);
            assertThat(outbox.lastSeq()).isEqualTo(later);
        }
    }

    @Test
    void aDiscardedEventUnblocksWhatFollows(@TempDir Path dir) {
        try (Database db = Database.open(dir.resolve("quiver.db"))) {
            Outbox outbox = new Outbox(db);
            RepoId a = RepoId.of(RepoType.MODEL, "acme/a");
            long pending = outbox.stage(RepoEvent.Kind.REF_UPDATED, a, "refs/heads/main", ZERO, "1".repeat(40));
            long later = outbox.append(RepoEvent.Kind.REPO_SETTINGS_CHANGED, a);
            assertThat(outbox.after(0, 10)).isEmpty();
            outbox.discard(pending);
            assertThat(outbox.after(0, 10)).extracting(RepoEvent::seq).containsExactly(later);
        }
    }
}
