package dev.quiver.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.db.Database;
import dev.quiver.server.db.Outbox;
import dev.quiver.server.db.RepoEvent;
import dev.quiver.server.repo.RepoId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases, their lapse and a hub restart, and the event every job's end leaves in the outbox. */
class JobStoreTest {
    private static final RepoId ADAPTER = RepoId.of(RepoType.MODEL, "acme/lora");
    private static final JobSpec SPEC = new JobSpec("acme/lora", "0".repeat(40), "", "", "", "", "", "", "test");
    private static final Duration GONE = Duration.ofMillis(-1);

    @TempDir
    Path dir;
    Database db;
    Outbox outbox;
    JobStore store;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("quiver.db"));
        outbox = new Outbox(db);
        store = new JobStore(db, outbox);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aJobWhoseLastLeaseLapsesFailsAndAnnouncesItsEnd() {
        Job job = store.enqueue(JobKind.TRAIN, ADAPTER, "k", SPEC, "hub");
        for (int attempt = 1; attempt <= job.maxAttempts(); attempt++) {
            assertThat(store.claim("r" + attempt, GONE)).map(Job::attempts).contains(attempt);
            assertThat(finishedEvents()).as("attempt %d lapsed: queued again, not finished", attempt - 1).isEmpty();
            store.requeueExpired();
        }
        Job failed = store.get(job.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.message()).contains("no attempts left");
        assertThat(finishedEvents()).singleElement().satisfies(e -> {
            assertThat(e.repo()).isEqualTo(ADAPTER);
            assertThat(e.ref()).isEqualTo(job.id());
            assertThat(e.newId()).isEqualTo("failed");
        });
        store.requeueExpired();
        assertThat(finishedEvents()).as("announced once").hasSize(1);
    }

    @Test
    void aRunnersReportAndACancelBeforeRunningEachAnnounceTheEndOnce() {
        Job done = store.enqueue(JobKind.TRAIN, ADAPTER, "done", SPEC, "hub");
        store.claim("r", Duration.ofMinutes(1));
        assertThat(store.finish(done.id(), "r", JobStatus.SUCCEEDED, "ok", Optional.empty())).isTrue();
        assertThat(store.finish(done.id(), "r", JobStatus.FAILED, "again", Optional.empty())).isFalse();
        Job waiting = store.enqueue(JobKind.TRAIN, ADAPTER, "waiting", SPEC, "hub");
        store.cancel(waiting.id());
        store.cancel(waiting.id());
        assertThat(finishedEvents()).extracting(RepoEvent::ref, RepoEvent::newId)
                .containsExactly(tuple(done.id(), "succeeded"), tuple(waiting.id(), "cancelled"));
    }

    @Test
    void aHubStartingAgainGivesRunningJobsAFullLeaseSoTheirRunnersKeepThem() {
        Job job = store.enqueue(JobKind.TRAIN, ADAPTER, "k", SPEC, "hub");
        store.claim("r", GONE); // the lease lapsed while the hub was down
        try (JobQueue restarted = new JobQueue(store, Duration.ofMinutes(1)).start()) {
            assertThat(store.requeueExpired()).isZero();
            assertThat(store.heartbeat(job.id(), "r", restarted.lease()).held()).isTrue();
        }
        assertThat(store.get(job.id()).orElseThrow().attempts()).isEqualTo(1);
    }

    private List<RepoEvent> finishedEvents() {
        return outbox.after(0, 100).stream().filter(e -> e.kind() == RepoEvent.Kind.JOB_FINISHED).toList();
    }
}
