package dev.quiver.server.repo;

import java.time.Instant;

/** What the hub keeps about a repository beside its git data. */
public record RepoInfo(RepoId id, boolean isPrivate, String gated, boolean allowForcePush, long downloads,
        long likes, Instant createdAt) {
}
