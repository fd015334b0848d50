package dev.quiver.server.db;

import dev.quiver.server.repo.RepoId;
import java.time.Instant;

/**
 * One change to a repository as the outbox records it. {@code oldId}/{@code newId} are commit ids
 * (40 zeros for "none") for ref updates; {@code CHECKS_RECORDED} carries the commit in {@code ref}
 * and the overall status in {@code newId}; {@code JOB_FINISHED} the job id and its status; the
 * other kinds leave them empty.
 */
public record RepoEvent(long seq, Kind kind, RepoId repo, String ref, String oldId, String newId, Instant at) {
    /** What happened. */
    public enum Kind {
        REF_UPDATED, REPO_CREATED, REPO_DELETED, REPO_SETTINGS_CHANGED, CHECKS_RECORDED, JOB_FINISHED
    }
}
