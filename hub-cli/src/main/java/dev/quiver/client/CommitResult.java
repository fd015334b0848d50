package dev.quiver.client;

import java.util.Optional;

/**
 * What an upload did: the commit it made (or, when nothing changed, the revision's current commit
 * and {@code committed = false}), its URL, the pull request it opened, and what was sent.
 */
public record CommitResult(String commitOid, String commitUrl, Optional<String> pullRequestUrl, boolean committed,
        int filesChanged, int filesUnchanged, int lfsUploaded, long bytesUploaded) {
}
