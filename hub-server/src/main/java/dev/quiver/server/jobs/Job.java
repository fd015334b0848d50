package dev.quiver.server.jobs;

import dev.quiver.server.repo.RepoId;
import java.time.Instant;
import java.util.Optional;

/** A job as the queue holds it. */
public record Job(String id, JobKind kind, RepoId repo, JobSpec spec, JobStatus status, String message,
        int attempts, int maxAttempts, Optional<String> runnerId, boolean cancelAsked, Optional<String> resultCommit,
        String createdBy, Instant createdAt, Instant updatedAt, Optional<Instant> startedAt,
        Optional<Instant> finishedAt) {
}
