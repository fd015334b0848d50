package dev.quiver.server.repo;

import java.util.Optional;

/** A written commit: its id, the ref it is on, and the pull-request number when one was opened. */
public record CommitResult(String commitId, String ref, Optional<Integer> pullRequest) {
}
